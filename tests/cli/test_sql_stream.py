"""`tracker sql -f csv|json` streams its rows (issue 16 §3): every row, in order, up to --max-rows, to stdout or -o.

The rows are fetched in batches of SQL_BATCH_ROWS and written as they come (the memory figure is in
benchmarks/README.md); these tests pin what the stream must keep: row order across batch borders,
the --max-rows cut and its note, the time limit during the fetch, and -o checked before a --write
statement runs.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from tests.trust.conftest import FIXTURES, assert_one_line_error, run_tracker
from tracker.cli import SQL_BATCH_ROWS

N = SQL_BATCH_ROWS * 3 + 17  # several batches and a partial one


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("stream") / "s.duckdb"
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", p, "-q")
    assert proc.returncode == 0, proc.stderr
    return p


QUERY = f"SELECT i, 'row ' || i AS s, i / 2 AS half FROM range({N}) t(i) ORDER BY i"


def _parse(fmt: str, text: str) -> list[list]:
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["i", "s", "half"]
        return [[int(r[0]), r[1], float(r[2])] for r in rows[1:]]
    return [[d["i"], d["s"], d["half"]] for d in map(json.loads, text.splitlines())]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("max_rows, expect, note", [(N + 1000, N, False), (N, N, False), (SQL_BATCH_ROWS + 5, SQL_BATCH_ROWS + 5, True)])
def test_every_row_in_order_up_to_max_rows(db, fmt, max_rows, expect, note):
    proc = run_tracker("sql", QUERY, "--db", db, "-f", fmt, "--max-rows", max_rows)
    assert proc.returncode == 0, proc.stderr
    rows = _parse(fmt, proc.stdout)
    assert rows == [[i, f"row {i}", i / 2] for i in range(expect)]
    assert ("only the first" in proc.stderr) is note


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_output_file_gets_the_same_rows_as_stdout(db, tmp_path, fmt):
    out = tmp_path / f"q.{fmt}"
    proc = run_tracker("sql", QUERY, "--db", db, "-f", fmt, "-o", out, "--max-rows", N)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text(encoding="utf-8") == run_tracker("sql", QUERY, "--db", db, "-f", fmt, "--max-rows", N).stdout


def test_the_time_limit_holds_while_streaming(db, tmp_path):
    out = tmp_path / "slow.csv"
    sql = "SELECT count(*) FROM range(1000000000000) a, range(10) b"
    proc = run_tracker("sql", sql, "--db", db, "-f", "csv", "--timeout", "1", "-o", out, timeout=60)
    assert_one_line_error(proc, "stopped after 1 s")
    assert not out.exists() and not list(tmp_path.glob(".*.tmp"))


def test_output_is_checked_before_a_write_statement_runs(db, tmp_path):
    import shutil

    copy = tmp_path / "w.duckdb"
    shutil.copy2(db, copy)
    proc = run_tracker("sql", "DELETE FROM papers RETURNING paper_id", "--write", "--db", copy, "-f", "csv", "-o", copy)
    assert_one_line_error(proc, "refusing")
    assert run_tracker("sql", "SELECT count(*) FROM papers", "--db", copy, "-f", "csv").stdout.splitlines()[1] == "3"


def test_output_needs_csv_or_json(db, tmp_path):
    assert_one_line_error(run_tracker("sql", "SELECT 1", "--db", db, "-o", tmp_path / "t.txt"), "--format csv or json")
