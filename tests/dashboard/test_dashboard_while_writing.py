"""The dashboard and the terminal on one database: no connection outlives a script run, so a load can
start while pages are open; while it runs, every page keeps answering with the data as last read and
says who is writing since when; once the load has published, the next run shows the new data."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_testdb import ROOT, finish_load, start_paused_load

NEW_PAPERS = ROOT / "tests" / "fixtures" / "cli" / "papers.jsonl"  # 5 papers the demo database lacks
PAGES_SEEN = ("views/leaderboards.py", "views/sota.py", "views/explorer.py", "views/review.py", "views/overview.py")


def papers_shown(at: AppTest) -> str:
    return [m.value for m in at.metric if m.label == "Papers"][0]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, copy)
    return copy


def test_pages_keep_answering_while_a_load_runs(started_on: Callable[[Path], AppTest], db: Path, tmp_path: Path) -> None:
    at = started_on(db)
    before = papers_shown(at)
    for page in PAGES_SEEN:
        at.switch_page(page).run()
        assert not at.exception and not at.error, page
        assert not any("load is running" in i for i in infos(at)), page
    load = start_paused_load(tmp_path, db, NEW_PAPERS)
    try:
        for page in PAGES_SEEN:
            at.switch_page(page).run()
            assert not at.exception, (page, [e.value for e in at.exception])
            assert [e.value for e in at.error] == [], page
            said = " ".join(infos(at))
            assert "A load is running since" in said and f"process {load.pid} (`tracker load " in said, (page, said)
            assert "as last read" in said, said
        assert papers_shown(at) == before  # the data as last published
        # A page whose queries were never run has nothing to show yet: it says so, no exception.
        at.switch_page("views/sql.py").run()
        assert not at.exception and [e.value for e in at.error] == []
        assert any(f"process {load.pid}" in i and "by itself" in i for i in infos(at)), infos(at)
    finally:
        summary = finish_load(load)
    assert summary.startswith("loaded 5 papers (5 new"), summary
    at.switch_page("views/overview.py").run()
    assert not at.exception and [e.value for e in at.error] == []
    assert int(papers_shown(at).replace(",", "")) == int(before.replace(",", "")) + 5
    assert not any("load is running" in i for i in infos(at))


def test_a_load_running_before_the_first_page_is_no_error(app_on: Callable[[Path], AppTest], db: Path, tmp_path: Path) -> None:
    load = start_paused_load(tmp_path, db, NEW_PAPERS)
    try:
        at = app_on(db)
        at.run()
        assert not at.exception and [e.value for e in at.error] == []
        said = " ".join(infos(at))
        assert "A load is running since" in said and f"process {load.pid}" in said and "by itself" in said, said
    finally:
        finish_load(load)
    at.run()
    assert not at.exception and [e.value for e in at.error] == [] and papers_shown(at)
