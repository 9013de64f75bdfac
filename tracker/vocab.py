"""Vocabularies of metrics, datasets and tasks, kept as YAML data so users can extend them.

The package ships hand-curated `tracker/vocab/{metrics,datasets,tasks,models}.yaml` and, under
`tracker/vocab/generated/`, the vocabulary of the whole field generated from public taxonomies (Papers
with Code, lm-eval, mteb, torchmetrics; `tracker/vocab/build/build_vocab.py`, see tracker/vocab/README.md).
Generated entries load first; a curated entry of the same name replaces a generated one's names,
aliases, task, metric and direction, keeping only its provenance and taxonomy (area, parent, splits,
variants). A generated name listed under `context` is ambiguous ("MS", "SST", "Overall") and is never
matched on its own (`Vocab.phrases`). A user adds or overrides
entries with their own YAML file holding any of the top-level sections `metrics:`, `datasets:`,
`tasks:`, `models:` (same shape as the packaged files), named by `--vocab PATH` on the CLI or by the
environment variable `CLAIMTRACK_VOCAB` (several paths separated by `:`). An entry in a user file
replaces the packaged entry of the same canonical name; new names are added.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml

Family = Literal["score", "error", "size", "compute", "speed", "cost", "other"]
SECTIONS = ("metrics", "datasets", "tasks", "models")
ENV_VAR = "CLAIMTRACK_VOCAB"
GENERATED_ENV = "CLAIMTRACK_GENERATED_VOCAB"  # "0": the curated vocabulary alone (to compare, or to debug a match)


class VocabError(ValueError):
    """A vocabulary file that cannot be used; the message names the file and the entry."""


@dataclass(frozen=True)
class Metric:
    name: str
    higher_is_better: bool
    family: Family
    aliases: tuple[str, ...] = ()
    unit: str | None = None  # the usual unit, when the text gives none
    context: tuple[str, ...] = ()  # ambiguous names: never matched on their own
    direction: str = "curated"  # how higher_is_better was decided: "curated", "source: lm-eval", "rule: error"
    group: str | None = None  # the finer family the direction rule reads: accuracy, error, ap, f1, latency, size...
    range: str | None = None  # "0-100" (a percentage), "0-1" (a fraction), "-1-1", ">=0"
    variants: tuple[tuple[str, str], ...] = ()  # (name, condition): "AP50" -> box_ap with "IoU=0.50"
    source: tuple[str, ...] = ("curated",)


@dataclass(frozen=True)
class Dataset:
    name: str
    aliases: tuple[str, ...] = ()
    task: str | None = None  # the task a number on this dataset is about, when the text names none
    metric: str | None = None  # the benchmark's standard metric, when the text names none
    context: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()  # every task the sources list it under, the default first
    metrics: tuple[str, ...] = ()  # its standard metrics, as the sources report them
    conditions: tuple[str, ...] = ()  # splits and settings the sources name it with ("test-dev", "40% Symmetric Noise")
    source: tuple[str, ...] = ("curated",)


@dataclass(frozen=True)
class Task:
    name: str
    aliases: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    label: str | None = None  # the archive's name ("Visual Question Answering")
    area: str | None = None  # the archive's area: Computer Vision, Natural Language Processing, Audio, Other
    parent: str | None = None
    report_as: str | None = None  # its nearest curated ancestor: the task a claim found by this name gets
    categories: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    source: tuple[str, ...] = ("curated",)


@dataclass(frozen=True)
class Vocab:
    metrics: dict[str, Metric] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    # Free-form data for the model-name recogniser (patterns, known names); its shape is the extractor's.
    models: dict[str, Any] = field(default_factory=dict)
    _phrases: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False, compare=False)
    # sha1 of every file the vocabulary was read from (load_vocab): what repr() shows then, so that the
    # store's fingerprint(vocab) does not format ~17,000 entries; "" (built in code): repr shows every entry
    digest: str = field(default="", compare=False)

    def __repr__(self) -> str:
        if self.digest:
            return f"Vocab(digest={self.digest!r})"
        return f"Vocab(metrics={self.metrics!r}, datasets={self.datasets!r}, tasks={self.tasks!r}, models={self.models!r})"

    def higher_is_better(self, metric: str) -> bool:
        """Unknown and `other:` metrics count as higher-is-better, the common case for a score."""
        m = self.metrics.get(metric)
        return True if m is None else m.higher_is_better

    def phrases(self, section: str) -> dict[str, list[str]]:
        """Canonical name -> the phrases the extractor matches for it: its aliases and its name (a metric's
        `other:` name without the prefix, a snake_case metric name not at all, a task's with spaces), less the
        ambiguous `context` names. A generated task counts for its nearest curated ancestor (`report_as`: claims
        are annotated at the curated level, shared/ANNOTATION.md); one with no curated ancestor is not matched by
        name (on seed and dev gold such names replaced the coarser task of the annotation), only reached through
        a dataset's default task. Computed once per Vocab."""
        cache = self._phrases
        if section not in cache:
            entries = getattr(self, section)
            out: dict[str, list[str]] = {}
            for n, e in entries.items():
                if section == "tasks" and "curated" not in e.source and not e.report_as:
                    continue  # an archive task outside the curated tree: reached through its datasets, not its name
                if section == "metrics":
                    own = [n[6:]] if n.startswith("other:") else [n] if "_" not in n else []
                elif section == "tasks":
                    own = [n.replace("_", " ")]
                else:
                    own = [n]
                names = [*e.aliases, *own]
                if e.context:
                    ctx = {c.lower() for c in e.context}
                    names = [a for a in names if a.lower() not in ctx]
                target = getattr(e, "report_as", None) or n
                out.setdefault(target, []).extend(names)
            cache[section] = out
        return cache[section]


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


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 8x faster


def _read_yaml(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_YAML_LOADER) or {}  # noqa: S506 (a safe loader)
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


GENERATED = ("datasets", "tasks", "metrics")


def _t(raw: Any) -> tuple[str, ...]:
    return tuple(raw) if isinstance(raw, list) else ()


def _generated_entry(section: str, name: str, e: dict[str, Any]) -> Any:
    """An entry of tracker/vocab/generated/*.json (written by the build script, so trusted in shape)."""
    common = {"aliases": _t(e.get("aliases")), "context": _t(e.get("context")), "source": _t(e.get("source"))}
    if section == "metrics":
        return Metric(name=name, higher_is_better=bool(e["higher_is_better"]), family=e.get("family", "score"),
                      unit=e.get("unit"), direction=e.get("direction", "rule"), group=e.get("group"), range=e.get("range"),
                      variants=tuple((e.get("variants") or {}).items()), **common)  # fmt: skip
    if section == "datasets":
        return Dataset(name=name, task=e.get("task"), metric=e.get("metric"), tasks=_t(e.get("tasks")),
                       metrics=_t(e.get("metrics")), conditions=_t(e.get("conditions")), **common)  # fmt: skip
    return Task(name=name, label=e.get("name"), area=e.get("area"), parent=e.get("parent"), report_as=e.get("report_as"),
                categories=_t(e.get("categories")),
                metrics=_t(e.get("metrics")), **common)  # fmt: skip


def _curated_over(cur: Any, gen: Any) -> Any:
    """A curated entry that a generated one also names: the curated names, aliases, task, metric and direction,
    with the generated entry's taxonomy and provenance."""
    source = ("curated", *gen.source)
    if isinstance(cur, Dataset):
        tasks = tuple(dict.fromkeys([t for t in (cur.task, *gen.tasks) if t]))
        metrics = tuple(dict.fromkeys([m for m in (cur.metric, *gen.metrics) if m]))
        return replace(cur, tasks=tasks, metrics=metrics, conditions=gen.conditions, source=source)
    if isinstance(cur, Task):
        return replace(cur, label=gen.label, area=gen.area, parent=gen.parent, categories=gen.categories, metrics=gen.metrics, source=source)
    return replace(cur, group=gen.group, range=gen.range, variants=gen.variants, source=source)


def _packaged(generated: bool = True, seen: "hashlib._Hash | None" = None) -> dict[str, dict[str, Any]]:
    """The packaged vocabulary (generated, then curated over it); `seen` is updated with every text read."""
    out: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    root = resources.files("tracker") / "vocab"
    seen = seen if seen is not None else hashlib.sha1()
    for section in GENERATED if generated else ():
        res = root / "generated" / f"{section}.json"
        if res.is_file():
            text = res.read_text(encoding="utf-8")
            seen.update(text.encode("utf-8"))
            doc = json.loads(text)
            out[section] = {n: _generated_entry(section, n, e) for n, e in doc[section].items()}
    curated: dict[str, dict[str, Any]] = {s: {} for s in SECTIONS}
    for section in SECTIONS:
        res = root / f"{section}.yaml"
        if res.is_file():
            where = f"tracker/vocab/{section}.yaml"
            text = res.read_text(encoding="utf-8")
            seen.update(text.encode("utf-8"))
            _merge(curated, section, _read_yaml(text, where), where)
    out["models"] = curated["models"]
    for section in GENERATED:
        gen = out[section]
        for n, e in curated[section].items():
            gen[n] = _curated_over(e, gen[n]) if n in gen else e
    return out


def _user_paths(extra: tuple[str, ...]) -> tuple[str, ...]:
    env = tuple(p for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p)
    return env + extra


@lru_cache(maxsize=8)
def _load(paths: tuple[str, ...], generated: bool = True) -> Vocab:
    seen = hashlib.sha1(b"vocab-v2")  # bump when the loader's meaning of the files changes
    data = _packaged(generated, seen)
    for p in paths:
        path = Path(p)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as e:
            raise VocabError(f"{p}: cannot read vocabulary file: {e.strerror or e}") from None
        seen.update(f"\0{p}\0".encode("utf-8") + text.encode("utf-8"))
        doc = _read_yaml(text, p)
        unknown = set(doc) - set(SECTIONS)
        if unknown:
            raise VocabError(f"{p}: unknown section(s) {sorted(unknown)}; expected {list(SECTIONS)}")
        for section, entries in doc.items():
            _merge(data, section, entries, p)
    return Vocab(metrics=data["metrics"], datasets=data["datasets"], tasks=data["tasks"], models=data["models"], digest=seen.hexdigest())


def load_vocab(*extra_paths: str | Path) -> Vocab:
    """The packaged vocabularies merged with `$CLAIMTRACK_VOCAB` and then `extra_paths`; cached per path list."""
    return _load(_user_paths(tuple(str(p) for p in extra_paths)), os.environ.get(GENERATED_ENV, "1") != "0")
