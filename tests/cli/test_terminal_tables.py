"""Terminal tables fit the terminal: long titles and quotes are cut with an ellipsis, ids and dates are
never wrapped nor cut, `review list` shows the paper title, and the abstracts' LaTeX is shown rendered
(`83.3\\%` -> `83.3%`) while CSV and JSON give the stored text verbatim."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tracker import pipeline
from tracker.cli import app
from tracker.store import connect_readonly

runner = CliRunner()
ID = re.compile(r"\b[0-9a-f]{16}\b")


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("tables") / "sample.duckdb"
    pipeline.load([pipeline.sample_path()], db, jobs=1, progress=False)
    return db


def run(db: Path, width: int, *args: str) -> str:
    r = runner.invoke(app, [*args, "--db", str(db)], env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("width", [120, 160, 200])  # 9 columns need ~117
def test_review_list_fits_and_shows_titles(sample_db: Path, width: int) -> None:
    out = run(sample_db, width, "review", "list", "--limit", "20")
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width, out
    assert "title" in lines[1]
    con = connect_readonly(sample_db)
    try:
        ids = {r[0] for r in con.execute("SELECT claim_id FROM claims").fetchall()}
        titles = [r[0] for r in con.execute("SELECT title FROM papers").fetchall()]
    finally:
        con.close()
    shown = ID.findall(out)
    assert len(shown) == 20 and set(shown) <= ids  # every id whole, on its row
    assert "…" in out  # long titles and quotes are cut, not wrapped
    first_cells = [line.split("│")[3].strip().rstrip("…") for line in lines[3:-2] if line.startswith("│")]
    assert first_cells and all(any(t.startswith(c) for t in titles) for c in first_cells), first_cells


def test_latex_rendered_in_tables_verbatim_in_csv(sample_db: Path) -> None:
    sql = "SELECT claim_id, quote FROM claims WHERE quote LIKE '%83.3\\%%' ORDER BY claim_id LIMIT 1"
    table = run(sample_db, 200, "sql", sql)
    assert "83.3%" in table and "83.3\\%" not in table, table
    rows = list(csv.reader(io.StringIO(run(sample_db, 200, "sql", sql, "-f", "csv"))))
    assert "83.3\\%" in rows[1][1], rows


@pytest.mark.parametrize("width", [100, 160])
def test_leaderboard_dates_and_ids_never_wrap(sample_db: Path, width: int) -> None:
    out = run(sample_db, width, "leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy")
    board = list(csv.DictReader(io.StringIO(run(sample_db, width, "leaderboard", "--dataset", "ImageNet-1K",
                                                "--metric", "top1_accuracy", "-f", "csv"))))  # fmt: skip
    assert max(len(line) for line in out.splitlines()) <= width, out
    lines = out.splitlines()
    for row in board:  # each row's id and date whole, on one line
        assert any(row["claim_id"] in line and row["published"] in line for line in lines), row
    if width < 160:
        assert "left out to fit the terminal: " in lines[-1]


def test_input_format_help_lists_every_reader() -> None:
    from tracker.readers import FORMATS

    out = " ".join(runner.invoke(app, ["load", "--help"], env={"COLUMNS": "400"}).stdout.split())
    listed = re.search(r"detecting it: ([a-z_, ]+)\.", out)
    assert listed and listed.group(1).split(", ") == list(FORMATS), out


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_formats_are_json_lines_and_say_so(sample_db: Path, fmt: str) -> None:
    import json

    out = run(sample_db, 200, "sql", "SELECT paper_id FROM papers ORDER BY 1 LIMIT 3", "-f", fmt)
    assert [list(json.loads(line)) for line in out.splitlines()] == [["paper_id"]] * 3
    help_text = " ".join(runner.invoke(app, ["sql", "--help"], env={"COLUMNS": "400"}).stdout.split())
    assert "JSON lines: one object a line" in help_text
