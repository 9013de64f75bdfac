"""Fixtures of the dashboard tests: one demo database per session and an AppTest factory on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_testdb import APP, Demo, build_demo_db
from tracker.export import leaderboard_csv
from tracker.store import connect_readonly, queries

APP_TIMEOUT_S = 60  # the first run imports pandas/altair/duckdb; later runs take well under a second


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo database every page test reads (built once: loading is the slow part)."""
    db = tmp_path_factory.mktemp("dashboard") / "demo.duckdb"
    build_demo_db(db)
    con = connect_readonly(db)
    try:
        index = queries.leaderboard_index(con)
        csv = leaderboard_csv(con, dataset="ImageNet-1K", metric="top1_accuracy", task=None)
    finally:
        con.close()
    return Demo(db, index, csv)


@pytest.fixture(scope="session")
def demo_db(demo: Demo) -> Path:
    return demo.db


@pytest.fixture
def app_on(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], AppTest]:
    """AppTest of dashboard/app.py reading the given database through $CLAIMTRACK_DB."""

    def make(db: Path) -> AppTest:
        monkeypatch.setenv("CLAIMTRACK_DB", str(db))
        return AppTest.from_file(str(APP), default_timeout=APP_TIMEOUT_S)

    return make


@pytest.fixture
def started_on(app_on: Callable[[Path], AppTest]) -> Callable[[Path], AppTest]:
    """AppTest on the given database, already run once without an exception (so pages can be switched)."""

    def start(db: Path) -> AppTest:
        at = app_on(db)
        at.run()
        assert not at.exception, at.exception
        return at

    return start


@pytest.fixture
def app(started_on: Callable[[Path], AppTest], demo_db: Path) -> AppTest:
    return started_on(demo_db)
