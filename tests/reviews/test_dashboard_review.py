"""The dashboard's review page under AppTest: a review is journaled at once, applied through a short
write, and the leaderboard reflects it after the rerun (the page reopens the database read-only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from reviews_testlib import ROOT, board, journal_lines

APP = ROOT / "dashboard" / "app.py"


@pytest.fixture
def dash(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, AppTest]]:
    monkeypatch.setenv("CLAIMTRACK_DB", str(db))
    at = AppTest.from_file(str(APP), default_timeout=60)
    yield db, at
    from dashboard.common import release_connection

    release_connection(str(db.resolve()))  # the process-wide read-only connection must not outlive the test


def open_review(at: AppTest, claim_id: str) -> AppTest:
    at.query_params["claim"] = claim_id
    at.run()
    at.switch_page("views/review.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="rv_claim").value == claim_id
    return at


def leaderboard_frame(at: AppTest):
    at.switch_page("views/leaderboards.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at.dataframe[0].value


# (button, note, what the ImageNet leaderboard must show for the claim afterwards)
CASES = [
    ("rv_accept", "looks right", "reviewed"),
    ("rv_reject", "different model", None),
]


@pytest.mark.parametrize("button, note, origin", CASES, ids=["accept", "reject"])
def test_review_page_writes_journal_then_leaderboard(dash, button: str, note: str, origin: str | None) -> None:
    db, at = dash
    before = board(db)  # read before the app opens the file
    claim_id = before.iloc[0]["claim_id"]
    open_review(at, claim_id)
    at.text_input(key=f"rv_note_{claim_id}").input(note)
    at.button(key=button).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == []
    lines = [json.loads(x) for x in journal_lines(db)]
    assert [(r["action"], r["anchor"]["claim_id"], r["note"]) for r in lines] == [(button[3:], claim_id, note)]
    assert any("Claim" in s.value for s in at.success)
    lb = leaderboard_frame(at)
    row = lb[lb["claim_id"] == claim_id]
    if origin is None:
        assert row.empty
    else:
        assert row.iloc[0]["origin"] == origin
    recent = at.switch_page("views/review.py").run()
    assert not recent.exception


def test_review_page_correct_form_reranks(dash) -> None:
    db, at = dash
    last = board(db).iloc[-1]["claim_id"]
    open_review(at, last)
    at.text_input(key=f"rv_fix_value_{last}").input("99.5")
    at.button(key="rv_correct_submit").click().run()
    assert not at.exception and [e.value for e in at.error] == []
    assert json.loads(journal_lines(db)[0])["changes"] == {"value": 99.5}
    lb = leaderboard_frame(at)
    top = lb.iloc[0]
    assert (top["claim_id"], top["value"], top["origin"]) == (last, 99.5, "reviewed")
