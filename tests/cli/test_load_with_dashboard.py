"""`tracker load` and `tracker review` while a process holds the dashboard's app (as `tracker dashboard`
does between page views): both succeed at once, and the app's next run shows the new counts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEW_PAPERS = ROOT / "tests" / "fixtures" / "cli" / "papers.jsonl"
# The dashboard's app in a process of its own: one run now, one more per line on stdin; each run prints
# what the overview shows.
DASHBOARD = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)


def show():
    at.run()
    shown = {m.label: m.value for m in at.metric}
    print(json.dumps({"papers": shown.get("Papers"), "claims": shown.get("Claims"),
                      "exception": [str(e.value) for e in at.exception], "error": [e.value for e in at.error]}), flush=True)


show()
for _line in sys.stdin:
    show()
"""


def tracker(*args: object, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tracker", *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def number(text: str) -> int:
    return int(text.replace(",", ""))


@pytest.fixture
def env() -> dict[str, str]:
    return {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "CLAIMTRACK_LOCK_WAIT": "5"}


def test_load_and_review_while_the_dashboard_holds_its_app(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "claims.duckdb"
    assert tracker("load", "--sample", "--db", db, "--quiet", env=env).returncode == 0
    dash = subprocess.Popen(
        [sys.executable, "-c", DASHBOARD, str(ROOT / "dashboard" / "app.py")], cwd=ROOT,
        env={**env, "CLAIMTRACK_DB": str(db)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert dash.stdout is not None and dash.stdin is not None
        first = json.loads(dash.stdout.readline())
        assert first["exception"] == [] and first["error"] == [] and first["papers"], first
        t0 = time.monotonic()
        loaded = tracker("load", NEW_PAPERS, "--db", db, "--quiet", env=env)
        assert loaded.returncode == 0, loaded.stderr
        assert "locked" not in loaded.stderr
        new_claims = int(re.search(r"(\d+) claims", loaded.stdout).group(1))
        board = tracker("leaderboard", "--dataset", "ImageNet-1K", "--metric", "top1_accuracy", "-f", "json", "--db", db, env=env)
        assert board.returncode == 0, board.stderr
        claim_id = json.loads(board.stdout.splitlines()[0])["claim_id"]
        reviewed = tracker("review", "reject", claim_id, "--db", db, env=env)
        assert reviewed.returncode == 0, reviewed.stderr
        assert time.monotonic() - t0 < 120
        dash.stdin.write("\n")
        dash.stdin.flush()
        after = json.loads(dash.stdout.readline())
    finally:
        if dash.stdin:
            dash.stdin.close()
        dash.wait(timeout=60)
    assert after["exception"] == [] and after["error"] == [], after
    assert number(after["papers"]) == number(first["papers"]) + 5
    assert number(after["claims"]) == number(first["claims"]) + new_claims - 1  # the rejected claim is out
