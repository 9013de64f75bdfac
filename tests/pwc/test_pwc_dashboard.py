"""The dashboard on an imported archive: the Conflicts page and the leaderboard's origin filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tracker.pwc.importer import import_archive

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "pwc"
APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pwcdash") / "d.duckdb"
    files = ("evaluation-tables.json", "papers-with-abstracts.json", "datasets.json")
    import_archive([FIX / n for n in files], path, jobs=1, progress=False)
    return path


@pytest.fixture
def app(db, monkeypatch) -> AppTest:
    monkeypatch.setenv("CLAIMTRACK_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_conflicts_page_lists_the_disagreement_and_each_papers_quote(app):
    app.switch_page("views/conflicts.py").run()
    assert not app.exception, [e.value for e in app.exception]
    conflicts, claims = (d.value for d in app.dataframe)
    row = conflicts[conflicts["model"] == "ResNet-50"].iloc[0]
    assert row["reported"] == "76.1 in 2 papers, 79.8 in 1 paper"
    assert sorted(claims["value"]) == [76.1, 76.1, 79.8]
    assert set(claims["quote"]) == {"Top 1 Accuracy: 76.1", "Top 1 Accuracy: 79.8", "Top 1 Accuracy: 76.1 (±0.2)"}
    app.selectbox(key="cf_origin").select("involving the abstracts").run()
    assert [i.value for i in app.info] == ["No conflict: no model is reported with different values by two papers here."]


def test_leaderboard_filters_by_origin(app):
    app.switch_page("views/leaderboards.py").run()
    app.selectbox(key="lb_dataset").select("COCO").run()
    app.selectbox(key="lb_metric").select("box_ap").run()
    board = app.dataframe[0].value
    assert set(board["origin"]) == {"pwc", "extracted"}
    app.multiselect(key="lb_origin").set_value(["pwc"]).run()
    assert set(app.dataframe[0].value["origin"]) == {"pwc"}
