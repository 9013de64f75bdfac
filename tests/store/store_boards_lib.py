"""Helpers of the materialised-leaderboard, staging and loaded-files tests.

The central one is `assert_boards_fresh(db)`: the materialised tables (leaderboard_best,
leaderboard_merged, leaderboard_points, leaderboards) must equal a from-scratch computation. Two
references are used:

- an independent one, written here in plain Python over the rows of the `leaderboard_claims` view
  (the documented ranking rules: best claim per (task, dataset, metric, model_key) by sort_key, then
  published NULLS LAST, then claim_id; SQL rank() by sort_key; ...), so a wrong shortcut in the
  store's SQL (e.g. reading unreviewed papers straight from `claims`) is caught;
- the store's own full rebuild (`refresh_leaderboards(con)` for all datasets, rolled back), so an
  incremental refresh that missed a dirty dataset is caught even where the Python reference and the
  SQL would agree by accident.

(A module of its own, not conftest.py: test directories are not packages, and several conftest
modules would collide under one name.)
"""

from __future__ import annotations

import json
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
from typer.testing import CliRunner

from tracker import pipeline
from tracker.cli import app
from tracker.store.store import MATERIALISED, STAGING, refresh_leaderboards

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "cli"
PAPERS = FIX / "papers.jsonl"
PAPERS_CHANGED = FIX / "papers_changed.jsonl"
BAD_LINE3 = FIX / "bad_line3.jsonl"
SAMPLE = ROOT / "tracker" / "sample" / "daily_papers_transformers.txt"

# Column order of the materialised tables (schema.sql); the reference builds tuples in this order.
BEST_COLS = (
    "rank", "task", "dataset", "metric", "model_key", "model", "value", "unit", "value_si", "higher_is_better",
    "paper_id", "title", "published", "conditions", "quote", "claim_id", "origin", "sort_key", "role", "scope",
)  # fmt: skip
MERGED_COLS = (
    "rank", "dataset", "metric", "model_key", "model", "value", "unit", "paper_id", "title", "published",
    "conditions", "quote", "claim_id", "origin", "sort_key", "role", "scope",
)  # fmt: skip
POINTS_COLS = (
    "task", "dataset", "metric", "published", "claim_id", "sort_key", "value_si", "unit", "higher_is_better",
    "model", "paper_id", "title", "seq", "best_key", "prev_key", "role", "own_seq", "own_best_key", "own_prev_key",
)  # fmt: skip
INDEX_COLS = ("task", "dataset", "metric", "higher_is_better", "unit", "models", "claims", "papers", "latest",
              "own_models")
TABLE_COLS = {
    "leaderboard_best": BEST_COLS,
    "leaderboard_merged": MERGED_COLS,
    "leaderboard_points": POINTS_COLS,
    "leaderboards": INDEX_COLS,
}
SOURCE_COLS = (
    "task", "dataset", "metric", "model_key", "model", "value", "unit", "value_si", "higher_is_better",
    "metric_unit", "paper_id", "title", "published", "conditions", "quote", "claim_id", "origin", "sort_key", "role",
)  # fmt: skip

runner = CliRunner()


# --- running things ---


def tracker(*args: Any, env: dict[str, str] | None = None):
    """`tracker ARGS` in-process (Typer's runner); returns the click Result."""
    return runner.invoke(app, [str(a) for a in args], env=env)


def ok(*args: Any, env: dict[str, str] | None = None):
    r = tracker(*args, env=env)
    assert r.exit_code == 0, f"tracker {' '.join(map(str, args))} failed: {r.output}"
    return r


def load(db: Path, *inputs: Path, **kw: Any) -> pipeline.LoadResult:
    """pipeline.load in-process, one job, no progress bar."""
    return pipeline.load([str(p) for p in inputs], db, jobs=1, progress=False, **kw)


def counts(res: pipeline.LoadResult) -> tuple[int, int, int, int]:
    """(papers, new, changed, unchanged) of a load."""
    return (res.total("papers"), res.total("new"), res.total("changed"), res.total("unchanged"))


def copy_db(src: Path, dest: Path) -> Path:
    shutil.copyfile(src, dest)
    return dest


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --- reading the database ---


def query(db: Path, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()


def _sorted(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return sorted(rows, key=repr)


def materialised(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    return {t: _sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall()) for t, cols in TABLE_COLS.items()}


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}


def staging_tables(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t for t in table_names(con) if t.startswith("_staging") or t in STAGING}


STATE_TABLES = ("papers", "claims", "reviews", "loaded_files", *MATERIALISED)


def state(db: Path, tables: Sequence[str] = STATE_TABLES) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the given tables (sorted): what a user can see of the database."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: _sorted(con.execute(f"SELECT * FROM {t}").fetchall()) for t in tables}


# --- the reference ---


def _pick_key(r: dict[str, Any]) -> tuple[Any, ...]:
    """ORDER BY sort_key, published NULLS LAST, claim_id."""
    return (r["sort_key"], r["published"] is None, r["published"] or date.min, r["claim_id"])


def _ranks(rows: list[dict[str, Any]]) -> list[int]:
    """SQL rank() over sort_key: 1 + how many rows have a strictly smaller key."""
    keys = sorted(r["sort_key"] for r in rows)
    import bisect

    return [bisect.bisect_left(keys, r["sort_key"]) + 1 for r in rows]


def _best_per_model_ranked(rows: list[dict[str, Any]], board: tuple[str, ...]) -> list[dict[str, Any]]:
    """Each model's best row on each board (`board` columns), with its rank() on that board."""
    per_model: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        per_model[(*(r[c] for c in board), r["model_key"])].append(r)
    boards: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for key, candidates in per_model.items():
        boards[key[:-1]].append(min(candidates, key=_pick_key))
    return [{**r, "rank": rank} for on_board in boards.values() for r, rank in zip(on_board, _ranks(on_board))]


def _in_board_unit(r: dict[str, Any], con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The boards' unit rule, written again: a unitless number takes the metric's scale-1 unit; a unitless
    fraction on a 0-100 percentage board is read as a percentage and says so in `conditions`."""
    scale_one = {u for (u,) in con.execute("SELECT unit FROM units WHERE scale = 1").fetchall()}
    ranges = dict(con.execute("SELECT metric, value_range FROM metrics").fetchall())
    if r["unit"] is not None:
        return r
    out = {**r, "unit": r["metric_unit"] if r["metric_unit"] in scale_one else None}
    if r["metric_unit"] == "%" and ranges.get(r["metric"]) == "0-100" and 0 < r["value"] < 1:
        note = f"written as the fraction {r['value']}"
        out.update(value=r["value"] * 100, value_si=r["value_si"] * 100, sort_key=r["sort_key"] * 100,
                   conditions=f"{r['conditions']}; {note}" if r["conditions"] else note)  # fmt: skip
    return out


def reference_boards(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """The four materialised tables computed from scratch, in Python, from the `leaderboard_claims` view."""
    src = [dict(zip(SOURCE_COLS, r)) for r in con.execute(f"SELECT {', '.join(SOURCE_COLS)} FROM leaderboard_claims")
           .fetchall()]  # fmt: skip
    src = [_in_board_unit(r, con) for r in src]

    # leaderboard_best: the best claim per (task, dataset, metric, model_key), ranked per (task, dataset, metric);
    # scope 'all' over every claim, scope 'own' over the own results alone (the role leaderboard_claims gives)
    best, merged = [], []
    for scope, rows in (("all", src), ("own", [r for r in src if r["role"] == "own"])):
        on_boards = [{**r, "scope": scope} for r in _best_per_model_ranked(rows, ("task", "dataset", "metric"))]
        best += on_boards
        # leaderboard_merged: each model's best over the tasks of a (dataset, metric), ranked
        merged += _best_per_model_ranked(on_boards, ("dataset", "metric"))

    # leaderboard_points: dated claims per (dataset, metric) in (published, claim_id) order, running best
    per_board: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in src:
        if r["published"] is not None:
            per_board[(r["dataset"], r["metric"])].append(r)
    points: list[dict[str, Any]] = []
    for rows in per_board.values():
        running: float | None = None
        own_running: float | None = None
        own_seq = 0
        for seq, r in enumerate(sorted(rows, key=lambda r: (r["published"], r["claim_id"])), start=1):
            prev = running
            running = r["sort_key"] if running is None else min(running, r["sort_key"])
            own = {"own_seq": None, "own_best_key": None, "own_prev_key": None}
            if r["role"] == "own":  # the running best of the own results alone
                own_seq += 1
                own = {"own_seq": own_seq, "own_prev_key": own_running,
                       "own_best_key": r["sort_key"] if own_running is None else min(own_running, r["sort_key"])}
                own_running = own["own_best_key"]
            points.append({**r, "seq": seq, "best_key": running, "prev_key": prev, **own})

    # leaderboards: one row per (task, dataset, metric)
    per_index: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for r in src:
        per_index[(r["task"], r["dataset"], r["metric"])].append(r)
    index: list[dict[str, Any]] = []
    for (task, dataset, metric), rows in per_index.items():
        units = Counter(r["unit"] for r in rows if r["unit"] is not None)
        usual = min(units, key=lambda u: (-units[u], u)) if units else None
        metric_units = {r["metric_unit"] for r in rows}
        assert len(metric_units) == 1, f"one metric, several metric units: {metric_units}"
        dates = [r["published"] for r in rows if r["published"] is not None]
        index.append({
            "task": task, "dataset": dataset, "metric": metric,
            "higher_is_better": all(r["higher_is_better"] for r in rows),
            "unit": usual if usual is not None else next(iter(metric_units)),
            "models": len({r["model_key"] for r in rows}), "claims": len(rows),
            "own_models": len({r["model_key"] for r in rows if r["role"] == "own"}),
            "papers": len({r["paper_id"] for r in rows}), "latest": max(dates) if dates else None,
        })  # fmt: skip

    out = {"leaderboard_best": best, "leaderboard_merged": merged, "leaderboard_points": points, "leaderboards": index}
    return {t: _sorted(tuple(r[c] for c in TABLE_COLS[t]) for r in rows) for t, rows in out.items()}


def full_rebuild(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[Any, ...]]]:
    """The store's own rebuild of every board, read inside a transaction that is then rolled back."""
    con.execute("BEGIN TRANSACTION")
    try:
        refresh_leaderboards(con)
        return materialised(con)
    finally:
        con.execute("ROLLBACK")


def _diff(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> str:
    ca, cb = Counter(a), Counter(b)
    only_a = list((ca - cb).elements())[:8]
    only_b = list((cb - ca).elements())[:8]
    return f"\n  only stored: {only_a}\n  only expected: {only_b}"


def assert_boards_fresh(db: Path, *, min_boards: int = 1) -> dict[str, list[tuple[Any, ...]]]:
    """The materialised boards equal the from-scratch computation (both references); no staging is left
    and the `leaderboard` view shows leaderboard_best. Returns the stored tables."""
    with duckdb.connect(str(db)) as con:
        names = table_names(con)
        assert not {t for t in names if t.startswith("_staging")}, f"staging tables left: {names}"
        stored = materialised(con)
        assert len(stored["leaderboards"]) >= min_boards, f"only {len(stored['leaderboards'])} boards: a vacuous check"
        expected = reference_boards(con)
        for t in TABLE_COLS:
            assert stored[t] == expected[t], f"{t} differs from the reference computed from leaderboard_claims:" + _diff(
                stored[t], expected[t]
            )
        rebuilt = full_rebuild(con)
        for t in TABLE_COLS:
            assert stored[t] == rebuilt[t], f"{t} differs from a full rebuild:" + _diff(stored[t], rebuilt[t])
        cols = ", ".join(BEST_COLS[:-1])
        for view, scope in (("leaderboard", "all"), ("leaderboard_own", "own")):
            shown = _sorted(r + (scope,) for r in con.execute(f"SELECT {cols} FROM {view}").fetchall())
            assert shown == [r for r in stored["leaderboard_best"] if r[-1] == scope]
        return stored


def biggest_board(db: Path) -> tuple[str, str, str]:
    """(task, dataset, metric) of the board with the most models (ties: by name)."""
    rows = query(db, "SELECT task, dataset, metric FROM leaderboards WHERE task IS NOT NULL "
                     "ORDER BY models DESC, claims DESC, dataset, metric, task LIMIT 1")  # fmt: skip
    assert rows, "no leaderboard at all"
    return rows[0]


def board_rows(db: Path, dataset: str, metric: str, task: str | None = None, scope: str = "all") -> list[dict[str, Any]]:
    """leaderboard_best rows of one board (all tasks when task is None), best first; `scope` 'own': the own results."""
    cols = ", ".join(BEST_COLS)
    rows = query(
        db,
        f"SELECT {cols} FROM leaderboard_best WHERE dataset = ? AND metric = ? AND (? IS NULL OR task = ?) "
        "AND scope = ? ORDER BY rank, published NULLS LAST, model, claim_id",
        [dataset, metric, task, task, scope],
    )
    return [dict(zip(BEST_COLS, r)) for r in rows]
