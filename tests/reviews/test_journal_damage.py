"""A damaged review journal never drops a review silently (issue 16, section 2).

Real journal files written the way editors, tools and crashes leave them: a last line without its
newline (kept and repaired, never cut), a torn tail (cut into a side file, with a warning), a reused
review_id, invalid UTF-8 and invalid JSON (each reported on its own line number, never blocking the
other lines), then what every command that reads the journal says, `tracker reviews check [--repair]`,
`tracker review delete` and a review refused because the database is locked.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from reviews_testlib import board, journal_lines, ok, ro, sql, tracker, tracker_subprocess
from tracker.reviews import Deletion, append_journal, journal_path, make_review, scan_journal
from tracker.store import Store, queries


def reviews_of(db: Path, n: int, action: str = "accept") -> list:
    """`n` reviews of distinct ImageNet claims (not written anywhere)."""
    with ro(db) as con:
        ids = list(queries.leaderboard(con, dataset="ImageNet-1K", metric="top1_accuracy")["claim_id"])[:n]
        targets = [queries.review_target(con, cid) for cid in ids]
    assert len(targets) == n
    return [make_review(action, t["base"], current=t["current"], title=t["title"], note=f"r{i}") for i, t in enumerate(targets)]


def line(r) -> bytes:
    return r.model_dump_json().encode("utf-8")


def side_files(db: Path, what: str) -> list[Path]:
    j = journal_path(db)
    return sorted(j.parent.glob(f"{j.name}.{what}-*"))


# --- reading: every line on its own ---

# (name, the journal's lines built from three good lines g[0..2], expected (line, kind, words) problems,
#  indexes of the good lines that must still count)
SCANS = [
    ("clean", lambda g: g[0] + b"\n" + g[1] + b"\n", [], [0, 1]),
    ("last line without newline is complete", lambda g: g[0] + b"\n" + g[1], [], [0, 1]),
    ("CRLF line ends", lambda g: g[0] + b"\r\n" + g[1] + b"\r\n", [], [0, 1]),
    ("invalid UTF-8 on line 3", lambda g: g[0] + b"\n" + g[1] + b"\n" + b'{"note": "caf\xe9"}\n' + g[2] + b"\n",
     [(3, "bad", "not UTF-8")], [0, 1, 2]),
    ("invalid JSON on line 2", lambda g: g[0] + b"\n{not json\n" + g[2] + b"\n", [(2, "bad", "invalid JSON")], [0, 2]),
    ("not a review on line 1", lambda g: b'{"action": "accept"}\n' + g[1] + b"\n", [(1, "bad", "paper_id")], [1]),
    ("torn tail", lambda g: g[0] + b"\n" + g[1][:40], [(2, "torn", "incomplete last line")], [0]),
    ("review_id reused with other content", lambda g: g[0] + b"\n" + g[1] + b"\n" + g[0].replace(b'"note":"r0"', b'"note":"other"') + b"\n",
     [(3, "conflict", "already on line 1")], [0, 1]),
    ("exact repeat is no problem", lambda g: g[0] + b"\n" + g[0] + b"\n" + g[1] + b"\n", [], [0, 1]),
    ("blank lines are skipped", lambda g: b"\n" + g[0] + b"\n  \n" + g[1] + b"\n", [], [0, 1]),
]


@pytest.mark.parametrize("name, build, problems, good", SCANS, ids=[s[0] for s in SCANS])
def test_scan_reports_each_bad_line_on_its_own_number(db: Path, name: str, build, problems, good) -> None:
    reviews = reviews_of(db, 3)
    path = journal_path(db)
    path.write_bytes(build([line(r) for r in reviews]))
    scan = scan_journal(path)
    got = [(p.line, p.kind) for p in scan.problems]
    assert got == [(n, k) for n, k, _ in problems], scan.problems
    for p, (_, _, words) in zip(scan.problems, problems):
        assert words in p.problem, p.problem
    assert [r.review_id for r in scan.reviews] == [reviews[i].review_id for i in good]
    warning = scan.warning()
    if problems:
        assert warning and "\n" not in warning and f"line {problems[0][0]}:" in warning and "reviews check" in warning
    else:
        assert warning is None


# --- appending: repair, never cut what parses ---


def test_last_line_without_newline_is_kept_and_repaired_by_the_next_append(db: Path) -> None:
    first, second = reviews_of(db, 2)
    path = journal_path(db)
    path.write_bytes(line(first))  # an editor stripped the final newline
    notes = append_journal(path, [second])
    assert path.read_bytes() == line(first) + b"\n" + line(second) + b"\n"
    assert len(notes) == 1 and "lacked its final newline" in notes[0] and "line 1" in notes[0]
    assert side_files(db, "torn") == []


@pytest.mark.parametrize("tail", [b'{"review_id": "half a li', b"\xff\xfe garbage", b'{"action": "accept"}'],
                         ids=["cut JSON", "binary", "JSON that is no review"])  # fmt: skip
def test_torn_tail_is_cut_into_a_side_file_and_said(db: Path, tail: bytes) -> None:
    first, second = reviews_of(db, 2)
    path = journal_path(db)
    path.write_bytes(line(first) + b"\n" + tail)
    notes = append_journal(path, [second])
    assert path.read_bytes() == line(first) + b"\n" + line(second) + b"\n"
    [side] = side_files(db, "torn")
    assert side.read_bytes() == tail  # what was cut, byte for byte
    assert len(notes) == 1 and "line 2" in notes[0] and str(side) in notes[0]


def test_cli_review_after_a_torn_tail_warns_and_keeps_both_reviews(db: Path) -> None:
    first = reviews_of(db, 1)[0]
    path = journal_path(db)
    path.write_bytes(line(first) + b"\n" + b'{"review_id": "torn')
    res = ok("review", "reject", board(db).iloc[-1]["claim_id"], "--db", db)
    warnings = [x for x in res.stderr.splitlines() if x.startswith("warning:")]
    assert any("line 2" in w and "damaged" in w for w in warnings), res.stderr  # read at open
    assert any("saved in" in w and ".torn-" in w for w in warnings), res.stderr  # cut at append
    assert [r.action for r in scan_journal(path).reviews] == ["accept", "reject"]
    assert sql(db, "SELECT count(*) FROM reviews") == [(2,)]


# --- every command that reads the journal says it is damaged; none is blocked ---


def damaged_journal(db: Path) -> tuple[list, Path]:
    """Two reviews in the table and journal, then a bad line, then a review only in the journal."""
    a, b, c = reviews_of(db, 3)
    with Store(db) as s:
        s.add_reviews([a, b])
    path = journal_path(db)
    with open(path, "ab") as f:
        f.write(b'{"review_id": oops}\n' + line(c) + b"\n")
    return [a, b, c], path


@pytest.mark.parametrize("args", [
    ("review", "list", "--limit", "1"),
    ("reviews", "export"),
    ("load", "--sample", "--jobs", "1", "--quiet"),
    ("sql", "SELECT 1", "--write"),
], ids=["review list", "reviews export", "load", "sql --write"])  # fmt: skip
def test_every_command_reading_the_journal_says_it_is_damaged(db: Path, args) -> None:
    damaged_journal(db)
    res = tracker(*args, "--db", db)
    assert res.code == 0, res
    warnings = [x for x in res.stderr.splitlines() if x.startswith("warning:")]
    assert len(warnings) == 1, res.stderr
    assert "damaged" in warnings[0] and "line 3: invalid JSON" in warnings[0] and "reviews check" in warnings[0]


def test_export_with_a_bad_line_writes_table_and_good_journal_lines(db: Path, tmp_path: Path) -> None:
    (a, b, c), _ = damaged_journal(db)
    out = tmp_path / "out.jsonl"
    res = ok("reviews", "export", "--db", db, "-o", out)
    assert "wrote 3 reviews" in res.stderr and "line 3" in res.stderr
    assert [json.loads(x)["review_id"] for x in out.read_text().splitlines()] == [a.review_id, b.review_id, c.review_id]


def test_writable_open_applies_the_good_lines_after_a_bad_one(db: Path) -> None:
    (a, b, c), _ = damaged_journal(db)
    assert sql(db, "SELECT count(*) FROM reviews") == [(2,)]
    Store(db).close()
    assert sql(db, "SELECT review_id FROM reviews ORDER BY seq") == [(a.review_id,), (b.review_id,), (c.review_id,)]


def test_export_and_list_run_as_a_user_types_them(db: Path) -> None:
    damaged_journal(db)
    proc = tracker_subprocess("reviews", "export", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 3
    assert "warning:" in proc.stderr and "line 3" in proc.stderr


# --- tracker reviews check ---

DAMAGES = [
    ("invalid JSON", lambda g: g[0] + b"\n{not json\n" + g[1] + b"\n", "line 2: invalid JSON", 1),
    ("invalid UTF-8", lambda g: g[0] + b"\n" + g[1] + b"\n\xff\xfe\n", "line 3: not UTF-8", 1),
    ("reused review_id", lambda g: g[0] + b"\n" + g[1] + b"\n" + g[0].replace(b'"note":"r0"', b'"note":"x"') + b"\n", "line 3: review_id", 1),
    ("torn tail", lambda g: g[0] + b"\n" + g[1] + b"\n" + g[1][:30], "line 3: incomplete last line", 1),
]


@pytest.mark.parametrize("name, build, said, cut", DAMAGES, ids=[d[0] for d in DAMAGES])
def test_check_says_what_is_wrong_and_repair_fixes_it(db: Path, name: str, build, said: str, cut: int) -> None:
    a, b = reviews_of(db, 2)
    with Store(db) as s:
        s.add_reviews([a, b])
    path = journal_path(db)
    damaged = build([line(a), line(b)])
    path.write_bytes(damaged)
    res = tracker("reviews", "check", "--db", db)
    assert res.code == 1, res
    assert said in res.stdout and "--repair" in res.stdout, res.stdout
    res = tracker("reviews", "check", "--db", db, "--repair")
    assert res.code == 0, res
    assert "repaired: moved 1 line(s)" in res.stdout and "ok (2 reviews)" in res.stdout
    assert path.read_bytes() == line(a) + b"\n" + line(b) + b"\n"
    [side] = side_files(db, "bad")
    assert side.read_bytes().rstrip(b"\n") in damaged  # the line taken out, byte for byte
    assert ok("reviews", "check", "--db", db).code == 0


def test_check_of_a_healthy_journal(db: Path) -> None:
    a = reviews_of(db, 1)[0]
    with Store(db) as s:
        s.add_reviews([a])
    res = ok("reviews", "check", "--db", db)
    assert res.stdout.strip().endswith("ok (1 reviews)")


def test_check_finds_reviews_only_in_the_table_and_repair_journals_them(db: Path, tmp_path: Path) -> None:
    a, b = reviews_of(db, 2)
    with Store(db) as s:
        s.add_reviews([a, b])
    journal_path(db).unlink()  # the journal was lost (or the reviews were INSERTed with SQL)
    res = tracker("reviews", "check", "--db", db)
    assert res.code == 1 and "2 review(s) are only in the table" in res.stdout and "journal is missing" in res.stdout
    res = ok("reviews", "check", "--db", db, "--repair")
    assert "appended 2 review(s)" in res.stdout
    assert [json.loads(x)["review_id"] for x in journal_lines(db)] == [a.review_id, b.review_id]
    # The journal alone rebuilds them now.
    fresh = tmp_path / "fresh.duckdb"
    shutil.copyfile(journal_path(db), journal_path(fresh))
    ok("load", "--sample", "--db", fresh, "--jobs", "1", "--quiet")
    assert sql(fresh, "SELECT count(*) FROM reviews") == [(2,)]


def test_check_repair_adds_a_missing_final_newline(db: Path) -> None:
    a = reviews_of(db, 1)[0]
    with Store(db) as s:
        s.add_reviews([a])
    path = journal_path(db)
    path.write_bytes(line(a))
    res = ok("reviews", "check", "--db", db)
    assert "lacks its final newline" in res.stdout
    res = ok("reviews", "check", "--db", db, "--repair")
    assert "added the final newline" in res.stdout and path.read_bytes() == line(a) + b"\n"


# --- tracker review delete ---


def test_review_delete_survives_a_rebuild(db: Path, tmp_path: Path) -> None:
    leader = board(db).iloc[0]["claim_id"]
    out = ok("review", "reject", leader, "--db", db).stdout
    review_id = out.rsplit("(review ", 1)[1].rstrip(")\n")
    assert leader not in set(board(db)["claim_id"])
    res = ok("review", "delete", review_id[:8], "--db", db, "--note", "mistake")
    assert f"deleted review {review_id}" in res.stdout and "tombstone" in res.stdout
    assert sql(db, "SELECT count(*) FROM reviews") == [(0,)]
    assert board(db).iloc[0]["claim_id"] == leader  # the claim is back on the board
    [rev, tomb] = [json.loads(x) for x in journal_lines(db)]
    assert tomb["action"] == "delete" and tomb["deletes"] == review_id and tomb["note"] == "mistake"
    Store(db).close()  # replaying the journal keeps it deleted
    assert sql(db, "SELECT count(*) FROM reviews") == [(0,)]
    fresh = tmp_path / "fresh.duckdb"  # a rebuild from the journal alone
    shutil.copyfile(journal_path(db), journal_path(fresh))
    ok("load", "--sample", "--db", fresh, "--jobs", "1", "--quiet")
    assert sql(fresh, "SELECT count(*) FROM reviews") == [(0,)]
    # Importing the journal elsewhere deletes it there too; importing the review again does not revive it.
    other = tmp_path / "other.duckdb"
    shutil.copyfile(db, other)
    res = ok("reviews", "import", journal_path(db), "--db", other)
    assert "imported 0 reviews" in res.stdout
    assert sql(other, "SELECT count(*) FROM reviews") == [(0,)]
    assert ok("reviews", "export", "--db", db).stdout == ""
    assert ok("reviews", "check", "--db", db).code == 0


@pytest.mark.parametrize("given, message", [("abc", "too short"), ("ffffffff", "no review 'ffffffff'")])
def test_review_delete_of_an_unknown_id_writes_nothing(db: Path, given: str, message: str) -> None:
    res = tracker("review", "delete", given, "--db", db)
    assert res.code == 1 and message in res.stderr, res
    assert journal_lines(db) == []


def test_tombstone_is_a_journal_entry(db: Path) -> None:
    a = reviews_of(db, 1)[0]
    with Store(db) as s:
        s.add_reviews([a])
        [tomb] = s.delete_reviews([a.review_id])
    assert isinstance(tomb, Deletion) and tomb.paper_id == a.paper_id
    scan = scan_journal(journal_path(db))
    assert scan.deleted == {a.review_id} and scan.reviews == [] and not scan.problems


# --- a review refused because the database is locked ---


@pytest.mark.parametrize("args", [
    ("review", "accept", "CLAIM"),
    ("review", "correct", "CLAIM", "--set", "value=1"),
    ("review", "add", "efficientformer-vision-transformers-at-mobilenet-speed", "--quote", "74.7% top-1", "--value", "74.7",
     "--metric", "top1_accuracy", "--kind", "absolute"),
], ids=["accept", "correct", "add"])  # fmt: skip
def test_review_refused_while_locked_says_it_was_not_journaled(db: Path, write_lock, args) -> None:
    claim = board(db).iloc[0]["claim_id"]
    with write_lock(db):
        proc = tracker_subprocess(*[claim if a == "CLAIM" else a for a in args], "--db", str(db))
    assert proc.returncode == 1
    err = proc.stderr.strip().splitlines()
    assert len(err) == 1 and "the database is locked" in err[0] and "NOT saved (not in the journal either)" in err[0], err
    assert journal_lines(db) == []
