"""Vocabularies of metrics, datasets and tasks, kept as YAML data so users can extend them.

The package ships `tracker/vocab/{metrics,datasets,tasks,models}.yaml`. A user adds or overrides
entries with their own YAML file holding any of the top-level sections `metrics:`, `datasets:`,
`tasks:`, `models:` (same shape as the packaged files), named by `--vocab PATH` on the CLI or by the
environment variable `CLAIMTRACK_VOCAB` (several paths separated by `:`). An entry in a user file
replaces the packaged entry of the same canonical name; new names are added.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

Family = Literal["score", "error", "size", "compute", "speed", "cost", "other"]
SECTIONS = ("metrics", "datasets", "tasks", "models")
ENV_VAR = "CLAIMTRACK_VOCAB"


class VocabError(ValueError):
    """A vocabulary file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    family: Family
    aliases: tuple[str, ...] = ()
    unit: str | None = None  # the usual unit, when the text gives none


@dataclass(frozen=True)
class Dataset:
    name: str
    aliases: tuple[str, ...] = ()
    task: str | None = None  # the task a number on this dataset is about, when the text names none
    metric: str | None = None  # the benchmark's standard metric, when the text names none


@dataclass(frozen=True)
class Task:
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Vocab:
    metrics: dict[str, Metric] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    # Free-form data for the model-name recogniser (patterns, known names); its shape is the extractor's.
    models: dict[str, Any] = field(default_factory=dict)

    def higher_is_better(self, metric: str) -> bool:
        """Unknown and `other:` metrics count as higher-is-better, the common case for a score."""
        m = self.metrics.get(metric)
        return True if m is None else m.higher_is_better


def _aliases(raw: Any, where: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
        raise VocabError(f"{where}: 'aliases' must be a list of strings")
    return tuple(raw)


def _entry(section: str, name: str, raw: Any, where: str) -> Any:
    raw = raw or {}
    if not isinstance(raw, dict):
        raise VocabError(f"{where}: entry {name!r} must be a mapping")
    loc = f"{where}: {section}.{name}"
    try:
        if section == "metrics":
            if "higher_is_better" not in raw:
                raise VocabError(f"{loc}: 'higher_is_better' is required")
            return Metric(
                name=name,
                higher_is_better=bool(raw["higher_is_better"]),
                family=raw.get("family", "score"),
                aliases=_aliases(raw.get("aliases"), loc),
                unit=raw.get("unit"),
            )
        if section == "datasets":
            return Dataset(name=name, aliases=_aliases(raw.get("aliases"), loc), task=raw.get("task"), metric=raw.get("metric"))
        if section == "tasks":
            return Task(name=name, aliases=_aliases(raw.get("aliases"), loc))
    except TypeError as e:  # unexpected keys
        raise VocabError(f"{loc}: {e}") from None
    return raw  # models: free-form


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as e:
        raise VocabError(f"{where}: not valid YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise VocabError(f"{where}: top level must be a mapping")
    return data


def _merge(into: dict[str, dict[str, Any]], section: str, entries: Any, where: str) -> None:
    if section == "models":
        if not isinstance(entries, dict):
            raise VocabError(f"{where}: section 'models' must be a mapping")
        for key, val in entries.items():
            if isinstance(val, list) and isinstance(into["models"].get(key), list):
                into["models"][key] = into["models"][key] + val  # extend pattern lists
            else:
                into["models"][key] = val
        return
    if not isinstance(entries, dict):
        raise VocabError(f"{where}: section {section!r} must be a mapping of name -> entry")
    for name, raw in entries.items():
        into[section][str(name)] = _entry(section, str(name), raw, where)


def _packaged() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    root = resources.files("tracker") / "vocab"
    for section in SECTIONS:
        res = root / f"{section}.yaml"
        if res.is_file():
            where = f"tracker/vocab/{section}.yaml"
            _merge(out, section, _read_yaml(res.read_text(encoding="utf-8"), where), where)
    return out


def _user_paths(extra: tuple[str, ...]) -> tuple[str, ...]:
    env = tuple(p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)
    return env + extra


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...]) -> Vocab:
    data = _packaged()
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise VocabError(f"{p}: cannot read vocabulary file: {e.strerror or e}") from None
        doc = _read_yaml(text, p)
        unknown = set(doc) - set(SECTIONS)
        if unknown:
            raise VocabError(f"{p}: unknown section(s) {sorted(unknown)}; expected {list(SECTIONS)}")
        for section, entries in doc.items():
            _merge(data, section, entries, p)
    return Vocab(metrics=data["metrics"], datasets=data["datasets"], tasks=data["tasks"], models=data["models"])


def load_vocab(*extra_paths: str | Path) -> Vocab:
    """The packaged vocabularies merged with `$CLAIMTRACK_VOCAB` and then `extra_paths`; cached per path list."""
    return _load(_user_paths(tuple(str(p) for p in extra_paths)))
