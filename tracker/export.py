"""Leaderboards as CSV: the text `tracker export` writes and the dashboard's download button serves.

    leaderboard_csv(con, dataset="ImageNet-1K", metric="top1_accuracy") -> str
    export_all(con, "leaderboards/") -> list[Path]     # one CSV per leaderboard + index.csv

Files are written through `tracker.output` (atomically, never over the database or its journal),
and every text cell is neutralised against spreadsheet formulas unless `raw=True`.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import duckdb

from tracker.output import OutputError, check_output, csv_text, write_output
from tracker.store import queries

CSV_COLUMNS = (
    "rank", "model", "value", "unit", "metric", "dataset", "task", "paper_title", "published",
    "conditions", "quote", "claim_id", "origin",
)  # fmt: skip
INDEX_COLUMNS = ("file", "task", "dataset", "metric", "higher_is_better", "unit", "models", "claims")


class ExportError(ValueError):
    """An export that cannot be written; one line naming the path and the problem."""


Protect = tuple[tuple[Path, str], ...]


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    try:
        if v != v:  # NaN / NaT from pandas
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(v, datetime):  # pandas gives DATE columns as Timestamps at midnight
        return v.date().isoformat() if v.time() == dtime(0) else v.isoformat()
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return repr(v)
    return v


def _csv(header: tuple[str, ...], rows: list[list[Any]], raw: bool) -> str:
    return csv_text(header, ([_cell(v) for v in r] for r in rows), raw=raw)


def leaderboard_csv(
    con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str, task: str | None = None, raw: bool = False
) -> str:
    """Header + one row per model of the (dataset, metric[, task]) leaderboard, best first."""
    df = queries.leaderboard(con, dataset=dataset, metric=metric, task=task)
    rows = [
        [r.rank, r.model, r.value, r.unit, metric, dataset, task, r.title, r.published, r.conditions, r.quote, r.claim_id, r.origin]
        for r in df.itertuples(index=False)
    ]  # fmt: skip
    if task is None and rows:
        # The task column names the task of each row's claim when no task was asked for.
        tasks = queries.claim_tasks(con, [r[11] for r in rows])
        for r in rows:
            r[6] = tasks.get(r[11])
    return _csv(CSV_COLUMNS, rows, raw)


def safe_name(*parts: str | None) -> str:
    """`task__dataset__metric.csv` with anything but letters, digits, `.`, `-`, `_` turned into `_`."""
    clean = [re.sub(r"[^A-Za-z0-9._-]+", "_", p or "none").strip("._") or "none" for p in parts]
    return "__".join(clean)[:200] + ".csv"


def _write(path: Path, text: str, protect: Protect) -> None:
    try:
        write_output(path, text, protect=protect)
    except OutputError as e:
        raise ExportError(str(e)) from None


def export_one(
    con: duckdb.DuckDBPyConnection, out: str | Path, *, dataset: str, metric: str, task: str | None = None,
    raw: bool = False, protect: Protect = (),
) -> int:
    """Write one leaderboard to `out` ("-": stdout); returns its number of rows. ExportError when it is empty.

    `protect`: paths the output must never replace (`tracker.output.protected_paths`)."""
    text = leaderboard_csv(con, dataset=dataset, metric=metric, task=task, raw=raw)
    n = text.count("\n") - 1
    if n <= 0:
        what = f"dataset {dataset!r}, metric {metric!r}" + (f", task {task!r}" if task else "")
        raise ExportError(f"no leaderboard for {what} (see `tracker sql 'SELECT * FROM leaderboards'`)")
    _write(Path(out), text, protect)
    return n


def export_all(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, *, raw: bool = False, protect: Protect = ()
) -> list[Path]:
    """One CSV per leaderboard (task__dataset__metric.csv) plus index.csv listing them; returns the paths."""
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"{out}: cannot create directory: {e.strerror or e}") from None
    index = queries.leaderboard_index(con)
    rows: list[list[Any]] = []
    used: set[str] = set()
    for r in index.itertuples(index=False):
        task = None if r.task is None or r.task != r.task else r.task
        name = safe_name(task, r.dataset, r.metric)
        k = 2
        while name.lower() in used:  # two names that clean to the same file
            name = safe_name(task, r.dataset, r.metric + f"_{k}")
            k += 1
        used.add(name.lower())
        rows.append([name, task, r.dataset, r.metric, bool(r.higher_is_better), r.unit, int(r.models), int(r.claims)])
    written = [out / row[0] for row in rows] + [out / "index.csv"]
    for path in written:  # every name checked before the first file is written
        try:
            check_output(path, protect)
        except OutputError as e:
            raise ExportError(str(e)) from None
    for path, (_, task, dataset, metric, *_rest) in zip(written, rows):
        _write(path, leaderboard_csv(con, dataset=dataset, metric=metric, task=task, raw=raw), protect)
    _write(out / "index.csv", _csv(INDEX_COLUMNS, rows, raw), protect)
    return written
