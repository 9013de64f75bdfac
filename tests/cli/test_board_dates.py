"""Date range on boards: `tracker leaderboard --since/--until` and the dashboard's "Papers published"
filter rank only the claims of papers published in the range (each model's best there)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.store.conftest import board
from tracker.cli import app

runner = CliRunner()
ENTRIES = [("ViT-B", 81.5, "%", "2021-01-10"), ("DeiT-S", 79.8, "%", "2021-02-01"), ("Swin-T", 81.3, "%", "2021-03-25"),
           ("ViT-B", 84.0, "%", "2022-05-01"), ("ConvNeXt-T", 82.1, "%", "2022-01-10")]  # fmt: skip


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    db = tmp_path / "c.duckdb"
    board(db, "top1_accuracy", ENTRIES)
    return db


def ranked(db: Path, *args: str) -> list[tuple[str, str, str, str]]:
    r = runner.invoke(app, ["leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy", "--db", str(db),
                            "-f", "csv", *args])  # fmt: skip
    assert r.exit_code == 0, r.output
    return [(x["rank"], x["model"], x["value"], x["published"]) for x in csv.DictReader(io.StringIO(r.stdout))]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], [("1", "ViT-B", "84.0", "2022-05-01"), ("2", "ConvNeXt-T", "82.1", "2022-01-10"),
              ("3", "Swin-T", "81.3", "2021-03-25"), ("4", "DeiT-S", "79.8", "2021-02-01")]),
        (["--until", "2021-12-31"], [("1", "ViT-B", "81.5", "2021-01-10"), ("2", "Swin-T", "81.3", "2021-03-25"),
                                     ("3", "DeiT-S", "79.8", "2021-02-01")]),
        (["--since", "2021-02-01", "--until", "2022-01-10"],
         [("1", "ConvNeXt-T", "82.1", "2022-01-10"), ("2", "Swin-T", "81.3", "2021-03-25"), ("3", "DeiT-S", "79.8", "2021-02-01")]),
        (["--since", "2022-03-01"], [("1", "ViT-B", "84.0", "2022-05-01")]),
    ],
)  # fmt: skip
def test_leaderboard_date_range(dbfile: Path, args: list[str], expected: list[tuple[str, str, str, str]]) -> None:
    assert ranked(dbfile, *args) == expected


def test_an_empty_range_says_so(dbfile: Path) -> None:
    r = runner.invoke(app, ["leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy", "--db", str(dbfile),
                            "--since", "2030-01-01"])  # fmt: skip
    assert r.exit_code == 1 and "from papers published between 2030-01-01 and today" in r.stderr, r.stderr


def test_dashboard_date_filter(dbfile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("CLAIMTRACK_DB", str(dbfile))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py"), default_timeout=120)
    at.switch_page("views/leaderboards.py")
    at.query_params["dataset"], at.query_params["metric"] = "ImageNet-1K", "top1_accuracy"
    at.run()
    assert not at.exception
    at.date_input(key="lb_dates").set_value((date(2021, 1, 1), date(2021, 12, 31))).run()
    assert not at.exception and [e.value for e in at.error] == []
    shown = at.dataframe[0].value
    assert list(shown["model"]) == ["ViT-B", "Swin-T", "DeiT-S"] and list(shown["value"]) == [81.5, 81.3, 79.8]


def test_explorer_date_filter(dbfile: Path) -> None:
    """The explorer's query and its "Papers published between" filter keep papers of the range only."""
    from datetime import date

    from tracker.store import connect_readonly, queries

    con = connect_readonly(dbfile)
    try:
        got = queries.explore_claims(con, since=date(2021, 2, 1), until=date(2021, 12, 31))
        everything = queries.explore_claims(con)
    finally:
        con.close()
    assert sorted(got["model"]) == ["DeiT-S", "Swin-T"]
    assert len(everything) == len(ENTRIES)
