"""Accept, reject, correct and add through the CLI change the leaderboard and the export as a user
expects: a rejected claim leaves, a corrected value re-ranks, every row says where its value came from."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

from reviews_testlib import IMAGENET, board, exported, journal_lines, ok, sql, tracker

ADDED_PAPER = "efficientformer-vision-transformers-at-mobilenet-speed"
ADDED_QUOTE = "74.7% top-1"  # "...runs as fast as MobileNetV2times 1.4 (1.6 ms, 74.7% top-1)": not extracted
ADDED_MODEL = "MobileNetV2-1.4x (added in test)"


def _row(df: pd.DataFrame, claim_id: str) -> dict[str, Any] | None:
    rows = df[df["claim_id"] == claim_id]
    return None if rows.empty else rows.iloc[0].to_dict()


def check_rejected(before: pd.DataFrame, after: pd.DataFrame, csv: list[dict[str, str]], claim: dict[str, Any]) -> None:
    assert _row(after, claim["claim_id"]) is None
    assert claim["claim_id"] not in {r["claim_id"] for r in csv}
    assert after.iloc[0]["claim_id"] != claim["claim_id"]


def check_reranked(before: pd.DataFrame, after: pd.DataFrame, csv: list[dict[str, str]], claim: dict[str, Any]) -> None:
    top = after.iloc[0]
    assert (top["claim_id"], top["value"], top["rank"], top["origin"]) == (claim["claim_id"], 99.5, 1, "reviewed")
    assert (csv[0]["claim_id"], csv[0]["value"], csv[0]["origin"]) == (claim["claim_id"], "99.5", "reviewed")
    assert len(after) == len(before)


def check_accepted(before: pd.DataFrame, after: pd.DataFrame, csv: list[dict[str, str]], claim: dict[str, Any]) -> None:
    row = _row(after, claim["claim_id"])
    assert row is not None and row["origin"] == "reviewed"
    assert (row["rank"], row["value"]) == (claim["rank"], claim["value"])
    assert before.drop(columns="origin").equals(after.drop(columns="origin"))
    assert {r["claim_id"]: r["origin"] for r in csv}[claim["claim_id"]] == "reviewed"
    assert {r["origin"] for r in csv} == {"extracted", "reviewed"}


def check_moved(before: pd.DataFrame, after: pd.DataFrame, csv: list[dict[str, str]], claim: dict[str, Any]) -> None:
    assert _row(after, claim["claim_id"]) is None  # left the ImageNet board ...
    coco = board(claim["_db"], "COCO", "top1_accuracy")  # ... for a COCO one, with the corrected value
    row = _row(coco, claim["claim_id"])
    assert row is not None and (row["value"], row["origin"]) == (51.2, "reviewed")


# (case, which leaderboard row, the review command after the claim id, what must follow)
CASES: list[tuple[str, str, list[str], Callable[..., None]]] = [
    ("reject the leader", "top", ["reject", "--note", "number is for a different model"], check_rejected),
    ("correct the last value to the best", "last", ["correct", "--set", "value=99.5"], check_reranked),
    ("accept keeps rank, marks reviewed", "top", ["accept", "--reviewer", "ana"], check_accepted),
    ("correct dataset and value", "last", ["correct", "--set", "dataset=COCO", "--set", "value=51.2"], check_moved),
]


@pytest.mark.parametrize("case, which, command, check", CASES, ids=[c[0] for c in CASES])
def test_review_changes_leaderboard_and_export(db: Path, tmp_path: Path, case: str, which: str,
                                               command: list[str], check: Callable[..., None]) -> None:  # fmt: skip
    before = board(db)
    assert len(before) >= 3 and set(before["origin"]) == {"extracted"}
    claim = (before.iloc[0] if which == "top" else before.iloc[-1]).to_dict() | {"_db": db}
    res = ok("review", command[0], claim["claim_id"], *command[1:], "--db", db)
    assert claim["claim_id"] in res.stdout
    after = board(db)
    check(before, after, exported(db, tmp_path), claim)
    lines = journal_lines(db)
    assert len(lines) == 1 and json.loads(lines[0])["anchor"]["claim_id"] == claim["claim_id"]
    assert sql(db, "SELECT count(*) FROM reviews")[0][0] == 1


def test_added_claim_is_on_the_leaderboard_as_human(db: Path, tmp_path: Path) -> None:
    """MobileNetV2 is the baseline EfficientFormer is measured against, so the added claim stands on the
    board with baselines, as a baseline, and leaves the board of own results as it was."""
    own_before, before = board(db), board(db, with_baselines=True)
    res = ok("review", "add", ADDED_PAPER, "--quote", ADDED_QUOTE, "--value", "74.7", "--unit", "%",
             "--metric", "top1_accuracy", "--kind", "absolute", "--model", ADDED_MODEL,
             "--dataset", "ImageNet-1K", "--task", "image_classification", "--note", "missed", "--db", db)  # fmt: skip
    assert "added claim" in res.stdout
    after = board(db, with_baselines=True)
    assert len(after) == len(before) + 1
    assert board(db).equals(own_before)
    row = after[after["model"] == ADDED_MODEL].iloc[0]
    assert (row["value"], row["unit"], row["origin"], row["quote"], row["role"]) == (74.7, "%", "human", ADDED_QUOTE, "baseline")
    abstract = sql(db, "SELECT abstract FROM papers WHERE paper_id = ?", [ADDED_PAPER])[0][0]
    start, end = sql(db, "SELECT start_offset, end_offset FROM claims_effective WHERE claim_id = ?", [row["claim_id"]])[0]
    assert abstract[start:end] == ADDED_QUOTE and start == abstract.index(ADDED_QUOTE)
    csv_rows = {r["model"]: r for r in exported(db, tmp_path, *IMAGENET, "--with-baselines")}
    assert csv_rows[ADDED_MODEL]["origin"] == "human"
    # The added claim can be reviewed like any other: rejecting it takes it off again.
    ok("review", "reject", row["claim_id"], "--db", db)
    assert ADDED_MODEL not in set(board(db, with_baselines=True)["model"])


# value_si follows a corrected value or unit through the units table.
VALUE_SI_CASES = [
    ("value only", ["value=22"], lambda c: 22 * c["scale"]),
    ("unit only", ["unit=B"], lambda c: c["value"] * 1e9),
    ("value and unit", ["value=1.5", "unit=K"], lambda c: 1500.0),
    ("unit cleared", ["unit=null"], lambda c: c["value"]),
]


@pytest.mark.parametrize("case, sets, expected", VALUE_SI_CASES, ids=[c[0] for c in VALUE_SI_CASES])
def test_corrected_value_si_uses_units(db: Path, case: str, sets: list[str], expected: Callable[[dict], float]) -> None:
    rows = sql(db, "SELECT c.claim_id, c.value, u.scale FROM claims c JOIN units u USING (unit) "
                   "WHERE u.scale NOT IN (1.0) ORDER BY c.claim_id LIMIT 1")  # fmt: skip
    assert rows, "the sample has a claim with a scaled unit (M, B, ms...)"
    claim = dict(zip(("claim_id", "value", "scale"), rows[0]))
    ok("review", "correct", claim["claim_id"], *[a for s in sets for a in ("--set", s)], "--db", db)
    (value_si,) = sql(db, "SELECT value_si FROM claims_effective WHERE claim_id = ?", [claim["claim_id"]])[0]
    assert value_si == pytest.approx(expected(claim))


def test_review_list_filters_and_statuses(db: Path) -> None:
    top = board(db).iloc[0]
    ok("review", "reject", top["claim_id"], "--db", db)
    listed = [json.loads(line) for line in ok("review", "list", "--status", "rejected", "-f", "json", "--db", db).stdout.splitlines()]
    assert [r["claim_id"] for r in listed] == [top["claim_id"]]
    assert listed[0]["status"] == "rejected"
    rows = [json.loads(line) for line in ok("review", "list", "--dataset", IMAGENET[0], "--metric", IMAGENET[1],
                                           "--limit", "500", "-f", "json", "--db", db).stdout.splitlines()]  # fmt: skip
    assert rows and {(r["dataset"], r["metric"]) for r in rows} == {IMAGENET}
    assert top["claim_id"] in {r["claim_id"] for r in rows}  # a rejected claim can still be found and re-accepted
    ok("review", "accept", top["claim_id"][:8], "--db", db)  # a unique prefix is enough
    assert board(db).iloc[0]["claim_id"] == top["claim_id"]
    assert ok("review", "list", "--status", "rejected", "-f", "json", "--db", db).stdout == ""
    paper = [json.loads(line) for line in ok("review", "list", "--paper", top["paper_id"], "-f", "json", "--db", db).stdout.splitlines()]
    assert paper and {r["paper_id"] for r in paper} == {top["paper_id"]}


def test_corrections_accumulate_and_the_latest_decision_wins(db: Path) -> None:
    last = board(db).iloc[-1]
    cid = last["claim_id"]
    ok("review", "correct", cid, "--set", "value=99.5", "--db", db)
    ok("review", "correct", cid, "--set", "model=Renamed", "--db", db)
    ok("review", "accept", cid, "--db", db)
    row = sql(db, "SELECT value, model, origin FROM claims_effective WHERE claim_id = ?", [cid])[0]
    assert row == (99.5, "Renamed", "reviewed")
    assert sql(db, "SELECT status, reviews FROM claim_reviews WHERE claim_id = ?", [cid]) == [("accepted", 3)]
    ok("review", "reject", cid, "--db", db)
    assert sql(db, "SELECT count(*) FROM claims_effective WHERE claim_id = ?", [cid]) == [(0,)]


# User errors: one line on stderr, exit 1, nothing written.
ERROR_CASES = [
    ("unknown claim", lambda c: ["accept", "0000000000000000"], "no claim"),
    ("field not correctable", lambda c: ["correct", c, "--set", "quote=x"], "not correctable"),
    ("value not a number", lambda c: ["correct", c, "--set", "value=abc"], "value must be a number"),
    ("unknown unit", lambda c: ["correct", c, "--set", "unit=furlong"], "unknown unit"),
    ("bad kind", lambda c: ["correct", c, "--set", "kind=maybe"], "kind"),
    ("correction changes nothing", lambda c: ["correct", c, "--set", "metric=top1_accuracy"], "changes nothing"),
    ("quote not in abstract", lambda c: ["add", ADDED_PAPER, "--quote", "74.8% top-1", "--value", "74.8",
                                         "--metric", "top1_accuracy", "--kind", "absolute"], "not in its abstract"),  # fmt: skip
    ("unknown paper", lambda c: ["add", "no-such-paper", "--quote", "1", "--value", "1", "--metric", "x",
                                 "--kind", "absolute"], "no paper"),  # fmt: skip
]


@pytest.mark.parametrize("case, args, message", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_review_errors_are_one_line(db: Path, case: str, args: Callable[[str], list[str]], message: str) -> None:
    cid = board(db).iloc[0]["claim_id"]
    res = tracker("review", *args(cid), "--db", db)
    assert res.code == 1, res
    assert len(res.stderr.strip().splitlines()) == 1 and message in res.stderr, res.stderr
    assert journal_lines(db) == []
    assert sql(db, "SELECT count(*) FROM reviews") == [(0,)]


def test_review_on_missing_database_creates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "nope.duckdb"
    res = tracker("review", "accept", "abc", "--db", db)
    assert res.code == 1 and "no such database file" in res.stderr
    assert not db.exists() and journal_lines(db) == []
