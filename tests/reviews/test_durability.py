"""Reviews are never lost: journal first, table second, replay on every writable open; export/import
round-trips; a bad import file writes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviews_testlib import board, effective, journal_lines, ok, ro, sql, tracker
from tracker.reviews import append_journal, journal_path, make_review, read_reviews
from tracker.store import Store, queries
from tracker.store.store import submit_reviews

ADDED = ["review", "add", "efficientformer-vision-transformers-at-mobilenet-speed", "--quote", "74.7% top-1",
         "--value", "74.7", "--unit", "%", "--metric", "top1_accuracy", "--kind", "absolute",
         "--model", "MNv2-1.4", "--dataset", "ImageNet-1K"]  # fmt: skip


def review_all_kinds(db: Path) -> None:
    b = board(db)
    ok("review", "reject", b.iloc[0]["claim_id"], "--note", "wrong", "--db", db)
    ok("review", "correct", b.iloc[-1]["claim_id"], "--set", "value=99.5", "--set", "dataset=ImageNet-1K", "--db", db)
    ok("review", "accept", b.iloc[1]["claim_id"], "--reviewer", "bo", "--db", db)
    ok(*ADDED, "--db", db)


def a_review(db: Path, action: str = "accept"):
    with ro(db) as con:
        cid = queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy").iloc[0]["claim_id"]
        t = queries.review_target(con, cid)
    return make_review(action, t["base"], current=t["current"], title=t["title"])


@pytest.mark.parametrize("order", ["import into a loaded database", "import first, load after"])
def test_export_import_round_trip(db: Path, sample_db: Path, tmp_path: Path, order: str) -> None:
    review_all_kinds(db)
    out = tmp_path / "reviews.jsonl"
    res = ok("reviews", "export", "--db", db, "-o", out)
    assert "wrote 4 reviews" in res.stderr
    assert out.read_text().splitlines() == journal_lines(db)  # the journal's format, in order
    fresh = tmp_path / "fresh.duckdb"
    if order == "import into a loaded database":
        shutil.copyfile(sample_db, fresh)
        assert "imported 4 reviews" in ok("reviews", "import", out, "--db", fresh).stdout
    else:
        assert "imported 4 reviews" in ok("reviews", "import", out, "--db", fresh).stdout
        assert len(ok("review", "list", "--status", "orphaned", "-f", "json", "--db", fresh).stdout.splitlines()) == 4
        ok("load", "--sample", "--db", fresh, "--jobs", "1", "--quiet")
    assert effective(fresh) == effective(db)
    assert journal_lines(fresh) == journal_lines(db)
    # Idempotent: importing again adds nothing, to the table or the journal.
    assert "imported 0 reviews" in ok("reviews", "import", out, "--db", fresh).stdout
    assert len(journal_lines(fresh)) == 4 and sql(fresh, "SELECT count(*) FROM reviews") == [(4,)]
    assert ok("reviews", "export", "--db", fresh).stdout.splitlines() == out.read_text().splitlines()


def _good_line(db: Path) -> str:
    return a_review(db).model_dump_json()


BAD_LINES = [
    ("not JSON", "{not json", "invalid JSON"),
    ("missing paper_id", '{"action": "accept"}', "paper_id"),
    ("unknown action", lambda g: g.replace('"action":"accept"', '"action":"approve"'), "action"),
    ("unknown field", lambda g: g.replace('"note":null', '"notes":null'), "notes"),
    ("correct without changes", lambda g: g.replace('"action":"accept"', '"action":"correct"'), "change at least one"),
    ("correct a non-field", lambda g: g.replace('"action":"accept"', '"action":"correct"').replace('"changes":{}', '"changes":{"quote":"x"}'), "cannot correct"),
    ("correct value not a number", lambda g: g.replace('"action":"accept"', '"action":"correct"').replace('"changes":{}', '"changes":{"value":"abc"}'), "value"),
    ("correct to an unknown unit", lambda g: g.replace('"action":"accept"', '"action":"correct"').replace('"changes":{}', '"changes":{"unit":"furlong"}'), "unknown unit"),
    ("add without a claim", lambda g: g.replace('"action":"accept"', '"action":"add"'), "claim"),
]


@pytest.mark.parametrize("target", ["existing database", "new database"])
@pytest.mark.parametrize("case, bad, message", BAD_LINES, ids=[b[0] for b in BAD_LINES])
def test_import_of_a_bad_file_writes_nothing(db: Path, tmp_path: Path, case: str, bad, message: str, target: str) -> None:
    good = _good_line(db)
    other = _good_line(db)
    line2 = bad(good.replace(json.loads(good)["review_id"], "f" * 32)) if callable(bad) else bad
    f = tmp_path / "reviews.jsonl"
    f.write_text("\n".join([good, line2, other]) + "\n")
    dest = db if target == "existing database" else tmp_path / "new.duckdb"
    res = tracker("reviews", "import", f, "--db", dest)
    assert res.code == 1, res
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and f"{f}: line 2:" in err[0] and message in err[0], err
    assert journal_lines(dest) == []
    if target == "existing database":
        assert sql(db, "SELECT count(*) FROM reviews") == [(0,)]
    else:
        assert not dest.exists()


@pytest.mark.parametrize("torn_tail", [False, True], ids=["crash after journal fsync", "plus a torn last line"])
def test_journal_line_missing_from_table_is_applied_on_next_writable_open(db: Path, torn_tail: bool) -> None:
    review = a_review(db, "reject")
    append_journal(journal_path(db), [review])  # the crash: journal written, table not
    if torn_tail:
        with open(journal_path(db), "a") as f:
            f.write('{"review_id": "half a li')
    assert sql(db, "SELECT count(*) FROM reviews") == [(0,)]
    leader = board(db).iloc[0]["claim_id"]
    assert leader == review.anchor.claim_id  # read-only opens do not apply the journal
    Store(db).close()  # any writable open
    assert sql(db, "SELECT review_id FROM reviews") == [(review.review_id,)]
    assert review.anchor.claim_id not in set(board(db)["claim_id"])
    Store(db).close()  # idempotent
    assert sql(db, "SELECT count(*) FROM reviews") == [(1,)]
    # The next append cuts the torn line off instead of gluing onto it: the journal stays readable.
    ok("review", "accept", board(db).iloc[0]["claim_id"], "--db", db)
    assert [r.action for r in read_reviews(journal_path(db))] == ["reject", "accept"]


def test_review_written_while_locked_waits_in_the_journal(db: Path, write_lock) -> None:
    review = a_review(db, "reject")
    with write_lock(db):
        assert submit_reviews(db, [review]) is False
        assert [r.review_id for r in read_reviews(journal_path(db))] == [review.review_id]
    res = ok("review", "list", "--db", db, "--limit", "1")
    assert "1 review(s)" in res.stderr and "not applied yet" in res.stderr
    ok("load", "--sample", "--db", db, "--jobs", "1", "--quiet")  # the next writable open applies it
    assert sql(db, "SELECT review_id FROM reviews") == [(review.review_id,)]
    assert review.anchor.claim_id not in set(board(db)["claim_id"])


def test_old_database_is_upgraded_by_a_writable_open(db: Path) -> None:
    with Store(db) as s:  # make the copy look like a file written before reviews existed
        s.con.execute("DROP VIEW claims_effective")
        for v in ("claim_reviews", "review_resolution", "claims_reviewable", "review_added_claims"):
            s.con.execute(f"DROP VIEW {v}")
        s.con.execute("DROP TABLE reviews")
        s.con.execute("CREATE VIEW claims_effective AS SELECT c.*, 'extracted' AS origin FROM claims c")
        s.con.execute("UPDATE schema_version SET version = 1")
    res = tracker("review", "list", "--db", db)
    assert res.code == 1 and "written before reviews existed" in res.stderr
    ok("review", "accept", board(db).iloc[0]["claim_id"], "--db", db)
    assert sql(db, "SELECT max(version) FROM schema_version") == [(2,)]
    assert board(db).iloc[0]["origin"] == "reviewed"
