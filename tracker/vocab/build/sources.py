"""The pinned public sources of the generated vocabulary, read without installing anything.

Every source is pinned (a git commit, a wheel's version and sha256): a rebuild from the same sources
gives the same bytes, and a different source is refused instead of silently changing the vocabulary.
Nothing here is imported by the product; `build_vocab.py` is the only user.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml

PWC = {
    "id": "pwc",
    "repo": "World-Snapshot/papers-with-code",
    "commit": "c50b88eb13b179903ecf715bb941fef91bdb5414",
    "license": "CC BY-SA 4.0 (Papers with Code data)",
}
SOTA = {
    "id": "sota-extractor",
    "repo": "paperswithcode/sota-extractor",
    "commit": "e6374da129cedab1736e97883bfbcddb7ddd2a72",
    "license": "CC BY-SA 4.0 data (NLP-progress, leaderboards), Apache-2.0 code",
}
WHEELS = {
    "lm-eval": {"file": "lm_eval-0.4.13-py3-none-any.whl", "version": "0.4.13",
                "sha256": "5daaa1973bf874005f64f28d3834b875f6886f0d6475878e6a6c821994a5286a", "license": "MIT"},
    "mteb": {"file": "mteb-2.26.24-py3-none-any.whl", "version": "2.26.24",
             "sha256": "c71248692f90318a1f4c3413288355ff89c7ae8d93190d0704987a8446589e46", "license": "Apache-2.0"},
    "torchmetrics": {"file": "torchmetrics-1.8.2-py3-none-any.whl", "version": "1.8.2",
                     "sha256": "08382fd96b923e39e904c4d570f3d49e2cc71ccabd2a94e0f895d1f0dac86242", "license": "Apache-2.0"},
}  # fmt: skip

PWC_AREA_FILES = {  # the archive's four task files and the area each one covers
    "Computer Vision": ("results/cv/cv_tasks_detailed.csv", "results/hierarchical/cv_hierarchy.csv"),
    "Natural Language Processing": ("results/nlp/nlp_tasks_detailed.csv", "results/hierarchical/nlp_hierarchy.csv"),
    "Audio": ("results/audio/audio_tasks_detailed.csv", "results/hierarchical/audio_hierarchy.csv"),
    "Other": ("results/other/other_tasks_detailed.csv", "results/hierarchical/other_hierarchy.csv"),
}
SOTA_TASK_FILES = (
    "chexpert", "cmrc", "coqa", "eff", "hotpotqa", "nlp-progress", "nlpprogress", "ogb", "record", "redditsota", "snli", "squad",
)


class SourceError(RuntimeError):
    """A source that is missing or not the pinned one; the message says which and how to get it."""


@dataclass
class GitSource:
    """Files of one pinned commit, from a git directory (bare or not) or from a plain checkout of it."""

    path: Path
    commit: str
    _files: dict[str, str] = field(default_factory=dict)

    def read(self, name: str) -> str:
        if name not in self._files:
            plain = self.path / name
            if (self.path / ".git").exists() or not (self.path / "HEAD").exists():
                if not plain.is_file():
                    raise SourceError(f"{self.path}: no file {name}")
                self._files[name] = plain.read_text(encoding="utf-8")
            else:
                r = subprocess.run(["git", "--git-dir", str(self.path), "show", f"{self.commit}:{name}"],
                                   capture_output=True, check=False)  # fmt: skip
                if r.returncode:
                    raise SourceError(f"{self.path}: cannot read {name} at {self.commit}: {r.stderr.decode().strip()}")
                self._files[name] = r.stdout.decode("utf-8")
        return self._files[name]

    def check(self) -> None:
        if (self.path / "HEAD").exists() and not (self.path / ".git").exists():
            r = subprocess.run(["git", "--git-dir", str(self.path), "cat-file", "-e", self.commit], capture_output=True, check=False)
            if r.returncode:
                raise SourceError(f"{self.path}: commit {self.commit} not found (fetch the pinned repository)")


def wheel(dir_: Path, key: str) -> zipfile.ZipFile:
    pin = WHEELS[key]
    p = dir_ / pin["file"]
    if not p.is_file():
        raise SourceError(f"{p}: missing; get it with: pip download {key}=={pin['version']} --no-deps -d {dir_}")
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    if digest != pin["sha256"]:
        raise SourceError(f"{p}: sha256 {digest} is not the pinned {pin['sha256']}")
    return zipfile.ZipFile(p)


# --- Papers with Code taxonomy ---


def pwc_tasks(src: GitSource) -> Iterator[dict[str, Any]]:
    """One row per task of the archive: area, name, categories, subtasks, common datasets, benchmarks, SOTA metrics."""
    for area, (detailed, _) in PWC_AREA_FILES.items():
        for r in csv.DictReader(io.StringIO(src.read(detailed))):
            yield {
                "area": area,
                "name": r["Task Name"].strip(),
                "dataset_count": int(r["Dataset Count"] or 0),
                "datasets": _semi(r["Common Datasets (Top 10)"]),
                "benchmarks": _semi(r["Benchmarks"]),
                "metrics": _semi(r["SOTA Metrics"]),
                "subtasks": _semi(r["Subtasks"]),
                "categories": [c for c in _semi(r["Categories"]) if c != "N/A"],
                "description": r.get("Description (First 200 chars)", "").strip(),
            }


def pwc_parents(src: GitSource) -> dict[str, str]:
    """Task name -> parent task name, from the archive's hierarchy files (the first parent a file gives wins)."""
    out: dict[str, str] = {}
    for area, (_, hier) in PWC_AREA_FILES.items():
        for r in csv.DictReader(io.StringIO(src.read(hier))):
            name, parent = r["Task Name"].strip(), r["Parent Task"].strip()
            if parent and parent != name:
                out.setdefault(name, parent)
    return out


def _semi(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").split(";") if x.strip() and x.strip() != "N/A"]


# --- sota-extractor's leaderboard tables ---


def sota_datasets(src: GitSource) -> Iterator[dict[str, Any]]:
    """(task, dataset, metrics) of the archive's scraped leaderboards (NLP-progress, SQuAD, OGB, ...)."""
    for name in SOTA_TASK_FILES:
        data = json.loads(src.read(f"data/tasks/{name}.json"))
        yield from _sota_walk(data, name, None)


def _sota_walk(tasks: list[dict[str, Any]], file: str, parent: str | None) -> Iterator[dict[str, Any]]:
    for t in tasks:
        for ds in t.get("datasets") or []:
            metrics: list[str] = []
            for row in (ds.get("sota") or {}).get("rows") or []:
                for m in (row.get("metrics") or {}):
                    if m not in metrics:
                        metrics.append(m)
            yield {"task": t["task"], "parent": parent, "dataset": ds["dataset"].strip(), "metrics": metrics, "file": file}
            for sub in ds.get("subdatasets") or []:
                sm: list[str] = []
                for row in (sub.get("sota") or {}).get("rows") or []:
                    sm.extend(m for m in (row.get("metrics") or {}) if m not in sm)
                yield {"task": t["task"], "parent": parent, "dataset": ds["dataset"].strip(), "split": sub["subdataset"].strip(),
                       "metrics": sm, "file": file}  # fmt: skip
        yield from _sota_walk(t.get("subtasks") or [], file, t["task"])


def sota_synonyms(src: GitSource) -> list[tuple[str, str]]:
    rows = csv.reader(io.StringIO(src.read("data/tasks/synonyms.csv")), skipinitialspace=True)
    next(rows, None)
    return [(a.strip(), b.strip()) for a, b in (r[:2] for r in rows if len(r) >= 2)]


# --- lm-eval task configs ---


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads lm-eval's `!function` tags as nothing (they name Python code we never run)."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def lm_eval_tasks(zf: zipfile.ZipFile) -> Iterator[dict[str, Any]]:
    """One record per task directory of lm-eval: its README title, task names, HF dataset paths, metrics."""
    by_dir: dict[str, dict[str, Any]] = {}
    for n in sorted(zf.namelist()):
        parts = n.split("/")
        if len(parts) < 4 or parts[:2] != ["lm_eval", "tasks"]:
            continue
        d = by_dir.setdefault(parts[2], {"dir": parts[2], "title": None, "tasks": [], "paths": [], "metrics": {}})
        if parts[-1] == "README.md" and len(parts) == 4:
            for line in zf.read(n).decode("utf-8", "replace").splitlines():
                if line.startswith("# "):
                    d["title"] = line[2:].strip()
                    break
        elif n.endswith(".yaml"):
            try:
                doc = yaml.load(zf.read(n), Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
            except yaml.YAMLError:
                continue
            if not isinstance(doc, dict):
                continue
            if isinstance(doc.get("task"), str) and len(d["tasks"]) < 1000:
                d["tasks"].append(doc["task"])
            if isinstance(doc.get("dataset_path"), str) and doc["dataset_path"] not in d["paths"]:
                d["paths"].append(doc["dataset_path"])
            for m in doc.get("metric_list") or []:
                if isinstance(m, dict) and isinstance(m.get("metric"), str):
                    hib = m.get("higher_is_better")
                    d["metrics"].setdefault(m["metric"], set())
                    if isinstance(hib, bool):
                        d["metrics"][m["metric"]].add(hib)
    for k in sorted(by_dir):
        yield by_dir[k]


# --- mteb task metadata (Python literals read with ast) ---


def mteb_tasks(zf: zipfile.ZipFile) -> Iterator[dict[str, Any]]:
    """name, type, main_score, dataset path of every TaskMetadata(...) call with literal arguments."""
    for n in sorted(zf.namelist()):
        if not (n.startswith("mteb/tasks/") and n.endswith(".py")):
            continue
        tree = ast.parse(zf.read(n).decode("utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "TaskMetadata":
                kw = {k.arg: k.value for k in node.keywords if k.arg}
                rec = {k: _literal(kw.get(k)) for k in ("name", "type", "main_score", "dataset", "description")}
                if isinstance(rec["name"], str) and isinstance(rec["type"], str):
                    ds = rec["dataset"] if isinstance(rec["dataset"], dict) else {}
                    yield {"name": rec["name"], "type": rec["type"], "main_score": rec["main_score"], "path": ds.get("path")}


def _literal(node: ast.AST | None) -> Any:
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError):
        return None


# --- torchmetrics metric classes ---


def torchmetrics_classes(zf: zipfile.ZipFile) -> Iterator[dict[str, Any]]:
    """Metric classes with a literal `higher_is_better` class attribute, and their module's domain."""
    for n in sorted(zf.namelist()):
        if not (n.startswith("torchmetrics/") and n.endswith(".py")) or "/functional/" in n or "/utilities/" in n:
            continue
        tree = ast.parse(zf.read(n).decode("utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.ClassDef) or node.name.startswith("_"):
                continue
            for st in node.body:
                target = st.target if isinstance(st, ast.AnnAssign) else (st.targets[0] if isinstance(st, ast.Assign) else None)
                if getattr(target, "id", None) == "higher_is_better" and st.value is not None:
                    val = _literal(st.value)
                    if isinstance(val, bool):
                        yield {"class": node.name, "module": n.split("/")[1], "higher_is_better": val}
