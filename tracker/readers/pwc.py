"""The dump files of Papers with Code (paperswithcode.com, shut down in July 2025), streamed.

Four files, each a JSON array (plain or .gz), parsed item by item with ijson (the evaluation tables
are hundreds of MB, the abstracts file holds ~576k papers):

- `evaluation-tables.json`: tasks `{task, description, categories, datasets: [{dataset, description,
  sota: {metrics: [names], rows: [{model_name, paper_title, paper_url, paper_date, metrics:
  {name: value}, uses_additional_data, code_links, model_links}]}, subdatasets: [{subdataset, sota,
  ...}]}], subtasks: [tasks, nested]}` -> `read_results` yields one `Result` per (row, metric).
  A file that holds one task object instead of an array is read as that task.
- `papers-with-abstracts.json`: `[{paper_url, arxiv_id, title, abstract, url_abs, date, authors,
  tasks, methods, ...}]` -> `read_papers` yields Papers like any reader (format `pwc_papers`).
- `datasets.json`: `[{name, full_name, variants, tasks: [{task}], ...}]` and `methods.json`:
  `[{name, full_name, ...}]` -> `read_aliases` yields `Alias`es.

Records are named by their path in the file ("task 3 'Image Classification' > dataset 1 'ImageNet' >
row 12"), so a bad one is one line: FILE: RECORD: PROBLEM. Cell values are not judged here
(`tracker.pwc.values` does that); the structure is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import ijson

from tracker.models import Paper
from tracker.readers.common import (
    GZIP_ERRORS,
    ReaderError,
    TITLE_LIMIT,
    build_paper,
    check_text,
    gzip_problem,
    is_arxiv_id,
    json_type,
    open_binary,
    parse_date,
    sniff_bytes,
    slug_id,
)
from tracker.readers.hf_daily_json import json_problem

SOURCE = "pwc_papers"
KINDS = ("evaluation_tables", "papers", "datasets", "methods")
ARXIV_URL_RE = re.compile(r"arxiv\.org/(?:abs|pdf)/([a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(?:v\d+)?", re.I)
PWC_PAPER_URL_RE = re.compile(r"paperswithcode\.com/paper/([^/?#\s]+)", re.I)


@dataclass(frozen=True)
class Result:
    """One archived number: a metric of a row of a task/dataset table."""

    record: str  # where in the file: task ... > dataset ... > row N
    task: str  # the (sub)task the table belongs to
    dataset: str
    subdataset: str | None
    model: str
    paper_title: str
    paper_url: str
    paper_date: date | None
    metric: str
    raw: Any  # the cell as the file has it (a string as typed, sometimes a number)
    uses_additional_data: bool | None


@dataclass(frozen=True)
class Alias:
    """A name by which the archive knows a dataset or method (`kind`), and the name it stands for."""

    kind: str  # dataset | method
    alias: str
    name: str
    task: str | None = None


# --- the file's items ---


def iter_items(path: Path, noun: str = "item") -> Iterator[tuple[int, Any]]:
    """(1-based position, item) of the top-level array, or the one top-level object; errors name the
    item as "`noun` N"."""
    start = sniff_bytes(path, 4096).lstrip()[:1]
    if not start:
        with open_binary(path) as f:  # nothing decompressed: a gzip stream cut short, or truly empty
            try:
                while f.read(256):
                    pass
            except GZIP_ERRORS as e:
                raise ReaderError(path, f"{noun} 1", gzip_problem(e)) from None
        raise ReaderError(path, "file", "empty file")
    if start not in (b"[", b"{"):
        raise ReaderError(path, "file", "not a JSON array or object")
    prefix = "item" if start == b"[" else ""
    with open_binary(path) as f:
        items = ijson.items(f, prefix, use_float=True)
        n = 0
        while True:
            try:
                obj = next(items)
            except StopIteration:
                return
            except GZIP_ERRORS as e:
                raise ReaderError(path, f"{noun} {n + 1}", gzip_problem(e)) from None
            except (ijson.JSONError, UnicodeDecodeError) as e:
                raise ReaderError(path, f"{noun} {n + 1}", json_problem(e)) from None
            n += 1
            yield n, obj


def detect_kind(path: Path) -> str:
    """Which of the four files `path` is, from the keys of its first item (read as parse events, so the
    first task of a large tables file is not built in memory)."""
    keys = _first_keys(path)
    kind = _kind_of(keys)
    if kind is None:
        raise ReaderError(path, "item 1", f"not a Papers with Code dump file (keys {', '.join(sorted(keys)[:8])})")
    return kind


def _kind_of(keys: set[str]) -> str | None:
    if "task" in keys and keys & {"datasets", "subtasks"}:
        return "evaluation_tables"
    if "abstract" in keys and keys & {"paper_url", "arxiv_id", "title"}:
        return "papers"
    if "variants" in keys or "modalities" in keys:
        return "datasets"
    if keys & {"collections", "source_title", "code_snippet_url", "introduced_year"}:
        return "methods"
    return None


def _first_keys(path: Path, limit: int = 64) -> set[str]:
    """The keys of the first item's own object, up to those that tell its kind (at most `limit`)."""
    start = sniff_bytes(path, 4096).lstrip()[:1]
    if not start:
        list(iter_items(path))  # raises the right error (cut gzip stream, empty file)
    if start not in (b"[", b"{"):
        raise ReaderError(path, "file", "not a JSON array or object")
    prefix = "item" if start == b"[" else ""
    keys: set[str] = set()
    with open_binary(path) as f:
        try:
            for pfx, event, value in ijson.parse(f):
                if pfx == prefix and event == "map_key":
                    keys.add(value)
                    if len(keys) >= limit or _kind_of(keys) is not None:
                        break
                elif pfx == prefix and event == "end_map":
                    break
                elif event == "end_array" and pfx == "":
                    break
                elif pfx == prefix and event not in ("start_map", "map_key"):
                    raise ReaderError(path, "item 1", f"expected a JSON object, got {_event_type(event)}")
        except GZIP_ERRORS as e:
            raise ReaderError(path, "item 1", gzip_problem(e)) from None
        except (ijson.JSONError, UnicodeDecodeError) as e:
            raise ReaderError(path, "item 1", json_problem(e)) from None
    if not keys:
        raise ReaderError(path, "file", "empty array: nothing to import")
    return keys


def _event_type(event: str) -> str:
    return {"start_array": "an array", "string": "a string", "number": "a number", "boolean": "true/false",
            "null": "null"}.get(event, event)  # fmt: skip


# --- evaluation-tables.json ---


def _name(path: Path, record: str, obj: dict[str, Any], key: str) -> str:
    """A required name (task, dataset, model...), whitespace collapsed."""
    return " ".join(check_text(path, record, key, obj.get(key), TITLE_LIMIT).split())


def _list(path: Path, record: str, obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ReaderError(path, record, f"'{key}' is {json_type(value)}, expected a list")
    return value


def _object(path: Path, record: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ReaderError(path, record, f"expected a JSON object, got {json_type(value)}")
    return value


def _text(path: Path, record: str, obj: dict[str, Any], key: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ReaderError(path, record, f"'{key}' is {json_type(value)}, expected text")
    return " ".join(value.split())


def _flag(path: Path, record: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ReaderError(path, record, f"'uses_additional_data' is {json_type(value)}, expected true or false")


def read_results(path: Path) -> Iterator[Result]:
    """Every (row, metric) of every table of every task and subtask, in file order."""
    path = Path(path)
    for n, task in iter_items(path, "task"):
        yield from _task(path, f"task {n}", task)


def _task(path: Path, record: str, obj: Any) -> Iterator[Result]:
    obj = _object(path, record, obj)
    name = _name(path, record, obj, "task")
    here = f"{record} {name!r}"
    for i, ds in enumerate(_list(path, here, obj, "datasets"), 1):
        yield from _dataset(path, f"{here} > dataset {i}", name, ds, parent=None)
    for i, sub in enumerate(_list(path, here, obj, "subtasks"), 1):
        yield from _task(path, f"{here} > subtask {i}", sub)


def _dataset(path: Path, record: str, task: str, obj: Any, *, parent: str | None) -> Iterator[Result]:
    obj = _object(path, record, obj)
    key = "dataset" if parent is None else ("subdataset" if "subdataset" in obj else "dataset")
    name = _name(path, record, obj, key)
    here = f"{record} {name!r}"
    dataset, sub = (name, None) if parent is None else (parent, name)
    sota = obj.get("sota")
    if sota is not None:
        sota = _object(path, f"{here} > sota", sota)
        for j, row in enumerate(_list(path, f"{here} > sota", sota, "rows"), 1):
            yield from _row(path, f"{here} > row {j}", task, dataset, sub, row)
    for i, s in enumerate(_list(path, here, obj, "subdatasets"), 1):
        yield from _dataset(path, f"{here} > subdataset {i}", task, s, parent=dataset)


def _row(path: Path, record: str, task: str, dataset: str, sub: str | None, row: Any) -> Iterator[Result]:
    row = _object(path, record, row)
    # A blank model name is the paper's own method (the archive has such rows): "(proposed)", one entry per
    # paper on a board, as the extractor names it. A row without the field is broken.
    model = _text(path, record, row, "model_name") if isinstance(row.get("model_name"), str) else _name(path, record, row, "model_name")
    model = model or "(proposed)"
    metrics = row.get("metrics")
    if metrics is None:
        return
    metrics = _object(path, f"{record} > metrics", metrics)
    title = _text(path, record, row, "paper_title")
    url = _text(path, record, row, "paper_url")
    published = parse_date(path, record, "paper_date", row.get("paper_date"))
    extra = _flag(path, record, row.get("uses_additional_data"))
    for metric, raw in metrics.items():
        if not str(metric).strip():
            raise ReaderError(path, f"{record} > metrics", "a metric without a name")
        yield Result(
            record=record, task=task, dataset=dataset, subdataset=sub, model=model, paper_title=title,
            paper_url=url, paper_date=published, metric=" ".join(str(metric).split()), raw=raw,
            uses_additional_data=extra,
        )  # fmt: skip


# --- papers-with-abstracts.json ---


def arxiv_id_of(url: str | None) -> str | None:
    """The versionless arXiv id an arXiv abs/pdf URL names."""
    m = ARXIV_URL_RE.search(url or "")
    return m.group(1) if m else None


def pwc_slug_of(url: str | None) -> str | None:
    """The paper slug of a paperswithcode.com/paper/... URL."""
    m = PWC_PAPER_URL_RE.search(url or "")
    return m.group(1).lower() if m else None


def paper_id_for(arxiv_id: Any, paper_url: str | None, title: str) -> str:
    """arXiv id when there is one (as the arXiv readers name papers), else the archive's slug, else the
    title's slug (as the jsonl reader names a paper without an id)."""
    if isinstance(arxiv_id, str):
        aid = re.sub(r"v\d+$", "", arxiv_id.strip())
        if is_arxiv_id(aid):
            return aid
    return pwc_slug_of(paper_url) or slug_id(title)


def read_papers(path: Path) -> Iterator[Paper]:
    """The papers that have an abstract (the dump has some without: they are not papers to extract
    from, and their results still find a place as archive-only papers)."""
    path = Path(path)
    for n, obj in iter_items(path, "paper"):
        record = f"paper {n}"
        obj = _object(path, record, obj)
        abstract = obj.get("abstract")
        if abstract is None or (isinstance(abstract, str) and not abstract.strip()):
            continue
        title = obj.get("title")
        url = obj.get("url_abs") or obj.get("paper_url")
        if url is not None and not isinstance(url, str):
            raise ReaderError(path, record, f"'url_abs' is {json_type(url)}, expected text")
        authors = obj.get("authors") or []
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise ReaderError(path, record, "'authors' must be a list of names")
        page = obj.get("paper_url")
        pid = paper_id_for(obj.get("arxiv_id"), page if isinstance(page, str) else None, title if isinstance(title, str) else "")
        yield build_paper(
            path, record, source=SOURCE, title=title, abstract=abstract, paper_id=pid,
            published=parse_date(path, record, "date", obj.get("date")),
            authors=[" ".join(a.split()) for a in authors if a.strip()], url=url,
        )  # fmt: skip


# --- datasets.json, methods.json ---


def read_aliases(path: Path, kind: str) -> Iterator[Alias]:
    """datasets.json: each dataset's full name and variants (with its first task); methods.json: each
    method's full name."""
    path = Path(path)
    what = "dataset" if kind == "datasets" else "method"
    for n, obj in iter_items(path, what):
        record = f"{what} {n}"
        obj = _object(path, record, obj)
        name = _name(path, record, obj, "name")
        task = None
        if kind == "datasets":
            for t in _list(path, record, obj, "tasks"):
                if isinstance(t, dict) and isinstance(t.get("task"), str) and t["task"].strip():
                    task = " ".join(t["task"].split())
                    break
        names = [name, _text(path, record, obj, "full_name")]
        if kind == "datasets":
            for v in _list(path, record, obj, "variants"):
                if not isinstance(v, str):
                    raise ReaderError(path, record, f"a variant is {json_type(v)}, expected text")
                names.append(" ".join(v.split()))
        for alias in dict.fromkeys(a for a in names if a):
            yield Alias(what, alias, name, task)
