"""Reviews survive re-extraction: the same claim (same id), a re-cut claim (same value and kind,
overlapping span), or -- when the number is gone -- an orphaned review that is listed, never dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reviews_testlib import IMAGENET, board, effective, journal_lines, ok, sql, tracker_subprocess
from tracker.store import Store


def review_three(db: Path) -> dict[str, str]:
    """Reject the leader, correct the last value to the best, accept the second: claim ids by role."""
    b = board(db)
    roles = {"rejected": b.iloc[0]["claim_id"], "corrected": b.iloc[-1]["claim_id"], "accepted": b.iloc[1]["claim_id"]}
    ok("review", "reject", roles["rejected"], "--db", db)
    ok("review", "correct", roles["corrected"], "--set", "value=99.5", "--db", db)
    ok("review", "accept", roles["accepted"], "--db", db)
    return roles


def test_reviews_survive_load_reextract(db: Path) -> None:
    roles = review_three(db)
    before, journal = effective(db), journal_lines(db)
    proc = tracker_subprocess("load", "--sample", "--reextract", "--db", str(db), "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "96 changed" in proc.stdout or "changed" in proc.stdout
    assert effective(db) == before
    assert journal_lines(db) == journal
    states = sql(db, "SELECT state, matched_by, count(*) FROM review_resolution GROUP BY ALL")
    assert states == [("current", "claim_id", 3)]
    top = board(db).iloc[0]
    assert (top["claim_id"], top["value"], top["origin"]) == (roles["corrected"], 99.5, "reviewed")


# A new extractor version, simulated on the stored claims of the reviewed (corrected) claim:
# (case, UPDATE ... SET <expr> for that claim, expected state of the review)
RECUT = "quote = substr((SELECT abstract FROM papers p WHERE p.paper_id = claims.paper_id), start_offset - 1, end_offset - start_offset + 2), start_offset = start_offset - 2"
MUTATIONS = [
    ("same claim, new id (version bump)", "claim_id = claim_id || '-v2'", "current"),
    ("quote re-cut two characters earlier", f"claim_id = claim_id || '-v2', {RECUT}", "current"),
    ("quote shortened at the end", "claim_id = claim_id || '-v2', end_offset = end_offset - 1, quote = substr(quote, 1, length(quote) - 1)", "current"),
    ("model renamed", "claim_id = claim_id || '-v2', model = model || ' v2'", "current"),
    ("metric renamed", "claim_id = claim_id || '-v2', metric = 'accuracy'", "current"),
    ("value read differently", "claim_id = claim_id || '-v2', value = value + 0.01, value_si = value_si + 0.01", "orphaned"),
    ("kind read differently", "claim_id = claim_id || '-v2', kind = 'delta'", "orphaned"),
    ("span moved away", "claim_id = claim_id || '-v2', start_offset = 0, end_offset = 1, quote = 'x'", "orphaned"),
]


@pytest.mark.parametrize("case, update, state", MUTATIONS, ids=[m[0] for m in MUTATIONS])
def test_review_reattaches_after_new_extractor_version(db: Path, case: str, update: str, state: str) -> None:
    last = board(db).iloc[-1]
    ok("review", "correct", last["claim_id"], "--set", "value=99.5", "--note", "typo in the abstract", "--db", db)
    with Store(db) as s:
        s.con.execute(f"UPDATE claims SET {update} WHERE claim_id = ?", [last["claim_id"]])
    new_id = last["claim_id"] + "-v2"
    rows = sql(db, "SELECT state, claim_id, matched_by FROM review_resolution")
    assert len(rows) == 1 and rows[0][0] == state
    orphans = [json.loads(x) for x in ok("review", "list", "--status", "orphaned", "-f", "json", "--db", db).stdout.splitlines()]
    if state == "current":
        assert rows[0][1:] == (new_id, "overlap")
        value, origin = sql(db, "SELECT value, origin FROM claims_effective WHERE claim_id = ?", [new_id])[0]
        assert (value, origin) == (99.5, "reviewed")
        assert orphans == []
    else:
        assert rows[0][1] is None
        assert [o["action"] for o in orphans] == ["correct"] and orphans[0]["note"] == "typo in the abstract"
        assert sql(db, "SELECT origin FROM claims_effective WHERE claim_id = ?", [new_id]) == [("extracted",)]
    assert sql(db, "SELECT count(*) FROM reviews") == [(1,)] and len(journal_lines(db)) == 1


def test_overlap_prefers_same_metric_then_nearest_start(db: Path) -> None:
    last = board(db).iloc[-1]
    ok("review", "reject", last["claim_id"], "--db", db)
    with Store(db) as s:
        # The claim is re-cut (new id) and a second reading of the same number with another metric
        # now starts exactly where the anchor did: the same-metric claim must still win.
        s.con.execute("CREATE TEMP TABLE decoy AS SELECT * FROM claims WHERE claim_id = ?", [last["claim_id"]])
        s.con.execute("UPDATE decoy SET claim_id = '0000-decoy', metric = 'other:decoy'")
        s.con.execute("INSERT INTO claims SELECT * FROM decoy")
        s.con.execute(f"UPDATE claims SET claim_id = claim_id || '-v2', {RECUT} WHERE claim_id = ?", [last["claim_id"]])
    assert sql(db, "SELECT claim_id, matched_by FROM review_resolution") == [(last["claim_id"] + "-v2", "overlap")]
    assert sql(db, "SELECT count(*) FROM claims_effective WHERE claim_id = '0000-decoy'") == [(1,)]


def _reload_with_abstract(db: Path, tmp_path: Path, paper_id: str, abstract: str) -> None:
    title, published = sql(db, "SELECT title, CAST(published AS VARCHAR) FROM papers WHERE paper_id = ?", [paper_id])[0]
    f = tmp_path / "changed.jsonl"
    f.write_text(json.dumps({"id": paper_id, "title": title, "abstract": abstract, "published": published}) + "\n")
    ok("load", f, "--db", db, "--jobs", "1", "--quiet")


def test_review_whose_claim_disappears_is_orphaned_not_lost(db: Path, tmp_path: Path) -> None:
    top = board(db).iloc[0]
    ok("review", "accept", top["claim_id"], "--note", "checked", "--db", db)
    paper_id = top["paper_id"]
    (abstract,) = sql(db, "SELECT abstract FROM papers WHERE paper_id = ?", [paper_id])[0]
    start, end, value = sql(db, "SELECT start_offset, end_offset, value FROM claims WHERE claim_id = ?", [top["claim_id"]])[0]
    # The paper's new version no longer states that number.
    _reload_with_abstract(db, tmp_path, paper_id, abstract[:start] + "a strong result" + abstract[end:])
    orphans = [json.loads(x) for x in ok("review", "list", "--status", "orphaned", "-f", "json", "--db", db).stdout.splitlines()]
    assert [(o["paper_id"], o["action"], o["value"], o["note"]) for o in orphans] == [(paper_id, "accept", value, "checked")]
    assert sql(db, "SELECT count(*) FROM reviews") == [(1,)] and len(journal_lines(db)) == 1
    assert top["claim_id"] not in set(board(db)["claim_id"])
    # The number comes back (the abstract is restored): the same review attaches again.
    _reload_with_abstract(db, tmp_path, paper_id, abstract)
    assert sql(db, "SELECT state, claim_id FROM review_resolution") == [("current", top["claim_id"])]
    assert board(db).set_index("claim_id").loc[top["claim_id"], "origin"] == "reviewed"


def test_added_claim_follows_its_quote_and_is_orphaned_without_it(db: Path, tmp_path: Path) -> None:
    paper_id, quote = "efficientformer-vision-transformers-at-mobilenet-speed", "74.7% top-1"
    ok("review", "add", paper_id, "--quote", quote, "--value", "74.7", "--unit", "%", "--metric", "top1_accuracy",
       "--kind", "absolute", "--model", "MNv2-1.4", "--dataset", IMAGENET[0], "--db", db)  # fmt: skip
    (abstract,) = sql(db, "SELECT abstract FROM papers WHERE paper_id = ?", [paper_id])[0]
    _reload_with_abstract(db, tmp_path, paper_id, "A new first sentence. " + abstract)  # offsets shift
    start, end = sql(db, "SELECT start_offset, end_offset FROM claims_effective WHERE origin = 'human'")[0]
    assert ("A new first sentence. " + abstract)[start:end] == quote
    _reload_with_abstract(db, tmp_path, paper_id, abstract.replace(quote, "74.7 percent"))
    assert sql(db, "SELECT count(*) FROM claims_effective WHERE origin = 'human'") == [(0,)]
    orphans = [json.loads(x) for x in ok("review", "list", "--status", "orphaned", "-f", "json", "--db", db).stdout.splitlines()]
    assert [(o["action"], o["quote"]) for o in orphans] == [("add", quote)]
