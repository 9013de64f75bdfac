"""Leaderboards as CSV, Parquet or JSON: what `tracker export` writes and the dashboard's download serves.

    leaderboard_csv(con, dataset="ImageNet-1K", metric="top1_accuracy") -> str
    export_one(con, "board.parquet", dataset=..., metric=..., fmt="parquet") -> int   # rows written
    export_all(con, "leaderboards/", fmt="json") -> list[Path]     # one file per leaderboard + index.json

Every format has the same columns (BOARD_COLUMNS, each row with its paper's `paper_id` and `url`).
Files are written through `tracker.output` (atomically, never over the database or its journal), and
every CSV text cell is neutralised against spreadsheet formulas unless `raw=True`. JSON is one
document: an array of row objects.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import duckdb

from tracker.output import OutputError, check_output, csv_text, write_output
from tracker.store import queries

BOARD_COLUMNS = (
    "rank", "model", "value", "unit", "metric", "dataset", "task", "paper_title", "published",
    "conditions", "quote", "claim_id", "origin", "paper_id", "url", "role", "other_papers", "other_min", "other_max",
)  # fmt: skip
CSV_COLUMNS = BOARD_COLUMNS  # the name older callers know
INDEX_COLUMNS = ("file", "task", "dataset", "metric", "higher_is_better", "unit", "models", "claims")
FORMATS = ("csv", "parquet", "json")
# Parquet column types (a column that is NULL on every row of a board keeps its type).
_TYPES = {"rank": "int64", "value": "float64", "published": "date32", "higher_is_better": "bool_", "models": "int64",
          "claims": "int64", "other_papers": "int64", "other_min": "float64", "other_max": "float64"}  # fmt: skip


@dataclass(frozen=True)
class Selection:
    """Which claims a board is made of: papers published in [since, until] (None: any date; a range leaves
    undated papers out), and own results only unless `with_baselines` (docs/schema.md, Own results and baselines)."""

    since: date | None = None
    until: date | None = None
    with_baselines: bool = False

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None


OWN = Selection()


class ExportError(ValueError):
    """An export that cannot be written; one line naming the path and the problem."""


Protect = tuple[tuple[Path, str], ...]


def _plain(v: Any) -> Any:
    """A pandas/numpy value as a plain Python one: None for NaN/NaT, a date for a midnight timestamp."""
    if v is None:
        return None
    try:
        if v != v:  # NaN / NaT from pandas
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(v, datetime):  # pandas gives DATE columns as Timestamps at midnight
        return v.date() if v.time() == dtime(0) else v.to_pydatetime() if hasattr(v, "to_pydatetime") else v
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):  # numpy scalars
        return v.item()
    return v


def _cell(v: Any) -> Any:
    v = _plain(v)
    if v is None:
        return ""
    if isinstance(v, (date, datetime)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return repr(v)
    return v


def _csv(header: tuple[str, ...], rows: list[list[Any]], raw: bool) -> str:
    return csv_text(header, ([_cell(v) for v in r] for r in rows), raw=raw)


def _json(header: tuple[str, ...], rows: list[list[Any]]) -> str:
    def value(v: Any) -> Any:
        v = _plain(v)
        return v.isoformat() if isinstance(v, (date, datetime)) else v

    objs = [json.dumps(dict(zip(header, map(value, r))), ensure_ascii=False) for r in rows]
    return "[\n" + ",\n".join(objs) + ("\n]\n" if objs else "]\n")


def _parquet(header: tuple[str, ...], rows: list[list[Any]]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, getattr(pa, _TYPES.get(c, "string"))()) for c in header])
    cols = list(zip(*rows)) if rows else [() for _ in header]
    table = pa.table([pa.array([_plain(v) for v in col], type=f.type) for col, f in zip(cols, schema)], schema=schema)
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def encode(fmt: str, header: tuple[str, ...], rows: list[list[Any]], *, raw: bool = False) -> str | bytes:
    """Rows in one of FORMATS (`raw` only matters for CSV)."""
    if fmt == "csv":
        return _csv(header, rows, raw)
    if fmt == "json":
        return _json(header, rows)
    if fmt == "parquet":
        return _parquet(header, rows)
    raise ExportError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")


def leaderboard_rows(
    con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str, task: str | None = None, board: Selection = OWN
) -> list[list[Any]]:
    """One row (BOARD_COLUMNS) per model of the (dataset, metric[, task]) leaderboard, best first."""
    df = queries.leaderboard(con, dataset=dataset, metric=metric, task=task, since=board.since, until=board.until,
                             with_baselines=board.with_baselines)  # fmt: skip
    rows = [
        [r.rank, r.model, r.value, r.unit, metric, dataset, task, r.title, r.published, r.conditions, r.quote,
         r.claim_id, r.origin, r.paper_id, None, r.role, r.other_papers, r.other_min, r.other_max]
        for r in df.itertuples(index=False)
    ]  # fmt: skip
    if rows:
        urls = queries.paper_urls(con, [r[13] for r in rows])
        for r in rows:
            r[14] = urls.get(r[13])
    if task is None and rows:
        # The task column names the task of each row's claim when no task was asked for.
        tasks = queries.claim_tasks(con, [r[11] for r in rows])
        for r in rows:
            r[6] = tasks.get(r[11])
    return rows


def leaderboard_csv(
    con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str, task: str | None = None, raw: bool = False,
    board: Selection = OWN,
) -> str:
    """Header + one row per model of the (dataset, metric[, task]) leaderboard, best first."""
    return _csv(BOARD_COLUMNS, leaderboard_rows(con, dataset=dataset, metric=metric, task=task, board=board), raw)


def safe_name(*parts: str | None, ext: str = "csv") -> str:
    """`task__dataset__metric.csv` with anything but letters, digits, `.`, `-`, `_` turned into `_`."""
    clean = [re.sub(r"[^A-Za-z0-9._-]+", "_", p or "none").strip("._") or "none" for p in parts]
    return "__".join(clean)[:200] + "." + ext


def _write(path: Path, text: str | bytes, protect: Protect) -> None:
    try:
        write_output(path, text, protect=protect)
    except OutputError as e:
        raise ExportError(str(e)) from None


def export_one(
    con: duckdb.DuckDBPyConnection, out: str | Path, *, dataset: str, metric: str, task: str | None = None,
    fmt: str = "csv", raw: bool = False, protect: Protect = (), board: Selection = OWN,
) -> int:
    """Write one leaderboard to `out` ("-": stdout) in `fmt`; returns its number of rows. ExportError when empty.

    `protect`: paths the output must never replace (`tracker.output.protected_paths`)."""
    rows = leaderboard_rows(con, dataset=dataset, metric=metric, task=task, board=board)
    if not rows:
        what = f"dataset {dataset!r}, metric {metric!r}" + (f", task {task!r}" if task else "")
        if board.dated or not board.with_baselines:
            if leaderboard_rows(con, dataset=dataset, metric=metric, task=task, board=Selection(with_baselines=True)):
                why = "from papers published in that range" if board.dated else "that is an own result"
                raise ExportError(f"no claim on the leaderboard for {what} {why}"
                                  + ("" if board.with_baselines else " (--with-baselines adds quoted baselines)"))
        raise ExportError(f"no leaderboard for {what} (see `tracker sql 'SELECT * FROM leaderboards'`)")
    _write(Path(out), encode(fmt, BOARD_COLUMNS, rows, raw=raw), protect)
    return len(rows)


def export_all(
    con: duckdb.DuckDBPyConnection, out_dir: str | Path, *, fmt: str = "csv", raw: bool = False, protect: Protect = (),
    board: Selection = OWN,
) -> list[Path]:
    """One file per leaderboard (task__dataset__metric.FMT) plus index.FMT listing them; returns the paths.
    Boards without a row in `board`'s selection (no own result; none in the date range) get no file."""
    encode(fmt, INDEX_COLUMNS, [])  # an unknown format fails before anything is created
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"{out}: cannot create directory: {e.strerror or e}") from None
    index = queries.leaderboard_index(con)
    rows: list[list[Any]] = []
    used: set[str] = set()
    if not board.with_baselines:
        index = index[index["own_models"] > 0]
    for r in index.itertuples(index=False):
        task = None if r.task is None or r.task != r.task else r.task
        name = safe_name(task, r.dataset, r.metric, ext=fmt)
        k = 2
        while name.lower() in used:  # two names that clean to the same file
            name = safe_name(task, r.dataset, r.metric + f"_{k}", ext=fmt)
            k += 1
        used.add(name.lower())
        models = int(r.models) if board.with_baselines else int(r.own_models)
        rows.append([name, task, r.dataset, r.metric, bool(r.higher_is_better), r.unit, models, int(r.claims)])
    written = [out / row[0] for row in rows] + [out / f"index.{fmt}"]
    for path in written:  # every name checked before the first file is written
        try:
            check_output(path, protect)
        except OutputError as e:
            raise ExportError(str(e)) from None
    done: list[Path] = []
    listed: list[list[Any]] = []
    for path, row in zip(written, rows):
        _, task, dataset, metric, *_rest = row
        ranked = leaderboard_rows(con, dataset=dataset, metric=metric, task=task, board=board)
        if not ranked:  # a date range that leaves the board empty
            continue
        row[6] = len(ranked)
        _write(path, encode(fmt, BOARD_COLUMNS, ranked, raw=raw), protect)
        done.append(path)
        listed.append(row)
    _write(written[-1], encode(fmt, INDEX_COLUMNS, listed, raw=raw), protect)
    return [*done, written[-1]]
