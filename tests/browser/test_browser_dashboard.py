"""The dashboard in a real browser: `streamlit run` as a user starts it, Debian's headless Chromium
opens the ImageNet-1K leaderboard, the ranking is drawn, and a screenshot is saved for people to look
at (test-output/dashboard-leaderboard.png). Never skipped: without chromium it fails and says why.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from urllib.parse import urlencode

import pytest

from browser_util import chromium_page, streamlit_server
from tracker.store import connect_readonly, queries

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "test-output" / "dashboard-leaderboard.png"
DATASET, METRIC = "ImageNet-1K", "top1_accuracy"


def _testdb() -> ModuleType:
    """tests/dashboard/dashboard_testdb.py, imported by path (test directories are not packages)."""
    path = ROOT / "tests" / "dashboard" / "dashboard_testdb.py"
    spec = importlib.util.spec_from_file_location("dashboard_testdb", path)
    assert spec and spec.loader
    module = sys.modules.get("dashboard_testdb") or importlib.util.module_from_spec(spec)
    if "dashboard_testdb" not in sys.modules:
        sys.modules["dashboard_testdb"] = module
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def browser_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A demo database and the models of its ImageNet-1K top-1 leaderboard, best first."""
    db = tmp_path_factory.mktemp("browser") / "demo.duckdb"
    _testdb().build_demo_db(db)
    con = connect_readonly(db)
    try:
        models = list(queries.leaderboard(con, dataset=DATASET, metric=METRIC)["model"])
    finally:
        con.close()
    assert models, "the demo database has no ImageNet-1K top-1 leaderboard"
    return db, models


def test_leaderboard_page_in_chromium(browser_db: tuple[Path, list[str]], tmp_path: Path) -> None:
    db, models = browser_db
    app = ROOT / "dashboard" / "app.py"
    with streamlit_server(app, db, tmp_path / "streamlit.log") as url:
        with chromium_page(tmp_path / "profile", width=1400, height=2000) as page:
            page.send("Page.navigate", url=f"{url}/leaderboards?{urlencode({'dataset': DATASET, 'metric': METRIC})}")
            # drawn = the heading, the leader line, the table and the chart are all on the page
            page.wait_for(
                "document.querySelector('[data-testid=\"stHeading\"]') !== null"
                " && document.body.innerText.includes('Leader:')"
                " && document.querySelector('[data-testid=\"stDataFrame\"]') !== null"
                " && document.querySelector('[data-testid=\"stVegaLiteChart\"] canvas, "
                "[data-testid=\"stVegaLiteChart\"] svg') !== null"
            )
            page.wait_for("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout_s=30)
            time.sleep(1.0)  # let the sidebar and chart transitions finish before the picture
            text = page.text()
            page.screenshot(SCREENSHOT)
    assert "Leaderboards" in text and DATASET in text and "Higher is better" in text
    assert f"Leader: {models[0]}" in text, text[:3000]
    assert "Traceback" not in text
    assert SCREENSHOT.stat().st_size > 20_000  # a drawn page, not a blank one
    print(json.dumps({"screenshot": str(SCREENSHOT), "leader": models[0]}))


NEW_PAPERS = ROOT / "tests" / "fixtures" / "cli" / "papers.jsonl"  # 5 papers the demo database lacks


def _tracker(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tracker", *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=300)


def _sidebar_counts(text: str) -> tuple[int, int]:
    m = re.search(r"([\d,]+) papers · ([\d,]+) claims", text)
    assert m, text[:2000]
    return int(m.group(1).replace(",", "")), int(m.group(2).replace(",", ""))


def test_load_and_review_from_the_terminal_while_the_page_is_open(tmp_path: Path) -> None:
    """The first hour: the dashboard open in a browser, `tracker load` and `tracker review` in a terminal on
    the same file. Both succeed (no lock message), and the open page shows the new counts by itself."""
    db = tmp_path / "demo.duckdb"
    _testdb().build_demo_db(db)
    app = ROOT / "dashboard" / "app.py"
    with streamlit_server(app, db, tmp_path / "streamlit.log") as url:
        with chromium_page(tmp_path / "profile", width=1400, height=1400) as page:
            page.send("Page.navigate", url=f"{url}/overview")
            page.wait_for("document.body.innerText.includes(' claims')")
            papers, claims = _sidebar_counts(page.text())
            loaded = _tracker("load", NEW_PAPERS, "--db", db, "--quiet")
            assert loaded.returncode == 0 and "locked" not in loaded.stderr, loaded.stderr
            board = _tracker("leaderboard", "--dataset", DATASET, "--metric", METRIC, "-f", "json", "--db", db)
            assert board.returncode == 0, board.stderr
            claim_id = json.loads(board.stdout.splitlines()[0])["claim_id"]
            reviewed = _tracker("review", "reject", claim_id, "--db", db)
            assert reviewed.returncode == 0 and "locked" not in reviewed.stderr, reviewed.stderr
            con = connect_readonly(db)
            try:
                now = queries.overview_counts(con)
            finally:
                con.close()
            assert now["papers"] == papers + 5
            want = f"{now['papers']:,} papers · {now['claims']:,} claims"
            page.wait_for(f"document.body.innerText.includes({json.dumps(want)})", timeout_s=60)
            text = page.text()
    assert "Traceback" not in text and "locked" not in text
