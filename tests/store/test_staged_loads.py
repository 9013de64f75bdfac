"""Staged loads (batches committed to _staging_* tables, published in one transaction) and the
loaded_files fingerprints (a byte-identical file loaded again is skipped without reading it)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from store_boards_lib import (
    BAD_LINE3, PAPERS, PAPERS_CHANGED, ROOT, SAMPLE, assert_boards_fresh, copy_db, counts, load, ok, query,
    read_jsonl, staging_tables, state, write_jsonl,
)  # fmt: skip
from tracker import pipeline
from tracker.models import Paper
from tracker.store.store import Store, claims_table, papers_table


@pytest.fixture(scope="session")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample and tests/fixtures/cli/papers.jsonl, loaded in one call."""
    db = tmp_path_factory.mktemp("staged") / "base.duckdb"
    res = load(db, SAMPLE, PAPERS)
    assert res.total("new") == res.total("papers") > 50
    return db


@pytest.fixture(scope="session")
def papers_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/cli/papers.jsonl alone, loaded."""
    db = tmp_path_factory.mktemp("staged") / "papers.duckdb"
    assert counts(load(db, PAPERS)) == (5, 5, 0, 0)
    return db


@pytest.fixture(scope="session")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new database: the schema and nothing else."""
    db = tmp_path_factory.mktemp("staged") / "empty.duckdb"
    Store(db).close()
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    return copy_db(base_db, tmp_path / "w.duckdb")


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files pipeline.load actually reads (opens with a reader), in order."""
    seen: list[Path] = []
    real = pipeline.read_file

    def spy(path: Path, fmt: str | None = None, *rest: object):
        seen.append(Path(path))
        return real(path, fmt, *rest)

    monkeypatch.setattr(pipeline, "read_file", spy)
    return seen


def claims_of(db: Path, ids: tuple[str, ...] | None = None) -> list[tuple[Any, ...]]:
    where = "" if ids is None else f" WHERE paper_id IN ({', '.join(repr(i) for i in ids)})"
    return query(db, f"SELECT * FROM claims{where} ORDER BY claim_id")


def papers_of(db: Path) -> dict[str, tuple[Any, ...]]:
    """paper_id -> (content_hash, extractor_version, vocab_hash, loaded_at)."""
    rows = query(db, "SELECT paper_id, content_hash, extractor_version, vocab_hash, loaded_at FROM papers")
    return {r[0]: r[1:] for r in rows}


def _edited(tmp: Path) -> Path:
    """papers.jsonl with cli-002's numbers changed (a file that replaces one paper of papers.jsonl)."""
    recs = read_jsonl(PAPERS)
    for r in recs:
        if r["id"] == "cli-002":
            r["abstract"] = r["abstract"].replace("**80.2%**", "**84.6%**")
    return write_jsonl(tmp / "edited.jsonl", recs)


def _duplicate_id(tmp: Path) -> Path:
    """A file whose 3rd record repeats the 1st record's id with another abstract."""
    recs = read_jsonl(PAPERS)[:2]
    recs.append({**recs[0], "abstract": recs[0]["abstract"] + " Extra sentence."})
    return write_jsonl(tmp / "dup.jsonl", recs)


# --- a failing load changes nothing ---


def _fail_extractor_on(monkeypatch: pytest.MonkeyPatch, ids: set[str]) -> None:
    import extractors

    real = extractors.extract_claims

    def boom(paper: Paper, vocab: Any):
        if paper.id in ids:
            raise RuntimeError("extractor exploded")
        return real(paper, vocab)

    monkeypatch.setattr(extractors, "extract_claims", boom)


def _fail_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail inside publish()'s transaction, after the staged rows were moved into papers/claims."""

    def boom(self: Store) -> None:
        raise RuntimeError("publish failed half way")

    monkeypatch.setattr(Store, "add_unknown_metrics", boom)


def _publish_out_of_memory(monkeypatch: pytest.MonkeyPatch, times: int | None = None) -> list[str]:
    """Every publish attempt (or the first `times`) runs out of DuckDB memory half way; returns the
    memory caps the attempts ran under."""
    caps: list[str] = []
    real = Store.add_unknown_metrics

    def oom(self: Store) -> None:
        caps.append(self.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0])
        if times is None or len(caps) <= times:
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to pin block of size 256.0 KiB")
        real(self)

    monkeypatch.setattr(Store, "add_unknown_metrics", oom)
    return caps


# name -> (files of the load, given tmp_path; monkeypatching before the load or None; text the error names)
FAILURES = {
    "bad-record-in-2nd-file": (lambda t: [PAPERS_CHANGED, BAD_LINE3], None, "bad_line3.jsonl"),
    "bad-record-after-a-replacing-file": (lambda t: [_edited(t), BAD_LINE3], None, "bad_line3.jsonl"),
    "duplicate-id-in-2nd-file": (lambda t: [PAPERS_CHANGED, _duplicate_id(t)], None, "appears again"),
    "extractor-fails-in-2nd-file": (
        lambda t: [PAPERS_CHANGED, write_jsonl(t / "new.jsonl", [{**read_jsonl(PAPERS)[0], "id": "boom-1"}])],
        lambda mp: _fail_extractor_on(mp, {"boom-1"}), "extractor failed",
    ),
    "publish-fails": (lambda t: [PAPERS_CHANGED, _edited(t)], _fail_publish, "publish failed half way"),
    "publish-out-of-memory-at-every-cap": (lambda t: [PAPERS_CHANGED, _edited(t)], _publish_out_of_memory, "Out of Memory"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(FAILURES))
def test_failed_load_leaves_database_unchanged(name: str, db: Path, tmp_path: Path, monkeypatch) -> None:
    files_of, patch, message = FAILURES[name]
    files = files_of(tmp_path)
    ok("review", "reject", query(db, "SELECT claim_id FROM leaderboard_best ORDER BY rank, claim_id LIMIT 1")[0][0],
       "--db", db)  # fmt: skip  (a review, so that reviews and their boards are part of what must not change)
    before = state(db)
    assert before["reviews"] and before["loaded_files"]
    if patch is not None:
        patch(monkeypatch)
    with pytest.raises(Exception, match=message):
        load(db, *files, batch_size=2)  # batches of 2: the 1st file's batches are committed to staging first
    monkeypatch.undo()
    assert staging_tables(db) == set()
    assert state(db) == before
    # nothing of the failed load is left behind: loading the 1st file now finds its papers new/changed again
    res = load(db, files[0])
    assert res.total("new") + res.total("changed") >= 1
    assert_boards_fresh(db)


# --- a killed load leaves only staging rows, which the next writable open drops ---


def _stage_by_store(db: Path) -> None:
    """begin_staging + committed staged batches, never published (what a load killed before publish leaves)."""
    ghost = Paper(id="ghost-1", title="Ghost", abstract="GhostNet reaches 99.9% top-1 accuracy on ImageNet.",
                  source="jsonl")  # fmt: skip
    with Store(db) as s:
        s.begin_staging()
        with s.transaction():
            s.write_batch(
                papers_table([ghost], extractor_version="x", vocab_hash="v", loaded_at=datetime(2024, 1, 1)),
                claims_table([("ghost-claim", "ghost-1", "99.9%", 17, 22, 99.9, 99.9, "%", "top1_accuracy", "absolute",
                               "GhostNet", "ImageNet-1K", "image_classification", None, None, None, None, True, "x")]),
                ["cli-002"],  # and a staged replacement of a stored paper
                staged=True,
            )  # fmt: skip


def _stage_by_sql(db: Path) -> None:
    with duckdb.connect(str(db)) as con:
        con.execute("CREATE TABLE _staging_papers AS SELECT * REPLACE ('ghost-' || paper_id AS paper_id) FROM papers LIMIT 3")
        con.execute("CREATE TABLE _staging_claims AS SELECT * REPLACE ('ghost-' || paper_id AS paper_id, "
                    "'ghost-' || claim_id AS claim_id) FROM claims WHERE kind = 'absolute' LIMIT 5")  # fmt: skip
        con.execute("CREATE TABLE _staging_replace AS SELECT paper_id FROM papers LIMIT 2")


KILL = textwrap.dedent("""
    import os, sys
    from tracker.store.store import Store
    Store.publish = lambda *a, **k: os._exit(9)  # killed after every batch was staged, before publishing
    from tracker import pipeline
    pipeline.load(sys.argv[2:], sys.argv[1], jobs=1, progress=False, batch_size=2)
""")


def _stage_by_killed_load(db: Path) -> None:
    edited = _edited(db.parent)
    extra = write_jsonl(db.parent / "ghosts.jsonl", [{**read_jsonl(PAPERS)[0], "id": "ghost-1"}])
    proc = subprocess.run([sys.executable, "-c", KILL, str(db), str(edited), str(extra)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert proc.returncode == 9, proc.stderr[-2000:]


STAGERS = {"store": _stage_by_store, "sql": _stage_by_sql, "killed-load": _stage_by_killed_load}


@pytest.mark.parametrize(("stage", "reopen"), [
    ("store", "open"), ("store", "load"), ("sql", "review"), ("killed-load", "load"),
])  # fmt: skip
def test_leftover_staging_is_dropped_on_next_open(db: Path, stage: str, reopen: str) -> None:
    before = state(db)
    STAGERS[stage](db)
    assert {"_staging_papers", "_staging_claims", "_staging_replace"} <= staging_tables(db)
    assert query(db, "SELECT count(*) FROM _staging_papers")[0][0] > 0
    assert state(db) == before  # queries never see staged rows
    if reopen == "open":
        Store(db).close()
    elif reopen == "review":
        ok("review", "accept", query(db, "SELECT claim_id FROM claims ORDER BY claim_id LIMIT 1")[0][0], "--db", db)
    else:
        res = load(db, PAPERS)  # the next load: every paper as stored, none of the staged rows
        assert counts(res) == (5, 0, 0, 5)
    assert staging_tables(db) == set()
    after = state(db)
    assert not query(db, "SELECT paper_id FROM papers WHERE paper_id LIKE 'ghost-%'")
    assert not query(db, "SELECT claim_id FROM claims WHERE claim_id LIKE 'ghost-%' OR paper_id LIKE 'ghost-%'")
    assert after["papers"] == before["papers"] and after["claims"] == before["claims"]
    assert_boards_fresh(db)


# --- loaded_files: what a second load of a file reads ---


def _one_byte_whitespace(tmp: Path) -> tuple[list[Path], dict[str, Any]]:
    raw = PAPERS.read_bytes()
    i = raw.index(b'", "title"')
    changed = raw[: i + 2] + b"\t" + raw[i + 3 :]  # the space after a comma becomes a tab: same records
    assert len(changed) == len(raw) and changed != raw
    p = tmp / "papers_ws.jsonl"
    p.write_bytes(changed)
    return [p], {}


def _one_byte_number(tmp: Path) -> tuple[list[Path], dict[str, Any]]:
    raw = PAPERS.read_bytes()
    assert raw.count(b"**80.2%**") == 1
    p = tmp / "papers_num.jsonl"
    p.write_bytes(raw.replace(b"**80.2%**", b"**80.3%**"))  # one byte: cli-002 changes
    return [p], {}


def _copy_elsewhere(tmp: Path) -> tuple[list[Path], dict[str, Any]]:
    p = tmp / "elsewhere" / "same.jsonl"
    p.parent.mkdir()
    p.write_bytes(PAPERS.read_bytes())
    return [p], {}


def _other_vocab(tmp: Path) -> tuple[list[Path], dict[str, Any]]:
    v = tmp / "vocab.yaml"
    v.write_text("metrics:\n  other:sparkle:\n    higher_is_better: true\n    family: score\n    aliases: [sparkle]\n")
    return [PAPERS], {"vocab_paths": [str(v)]}


# name -> (what the second load is, given tmp_path; is the file read; (papers, new, changed, unchanged))
SECOND_LOADS = {
    "identical": (lambda t: ([PAPERS], {}), False, (5, 0, 0, 5)),
    "same-bytes-other-path": (_copy_elsewhere, False, (5, 0, 0, 5)),
    "reextract": (lambda t: ([PAPERS], {"reextract": True}), True, (5, 0, 5, 0)),
    "one-byte-whitespace": (_one_byte_whitespace, True, (5, 0, 0, 5)),
    "one-byte-in-a-number": (_one_byte_number, True, (5, 0, 1, 4)),
    "format-given": (lambda t: ([PAPERS], {"fmt": "jsonl"}), True, (5, 0, 0, 5)),
    "other-vocabulary": (_other_vocab, True, (5, 0, 5, 0)),
}  # fmt: skip


@pytest.mark.parametrize("name", list(SECOND_LOADS))
def test_second_load_of_a_file(name: str, tmp_path: Path, reads: list[Path], papers_db: Path) -> None:
    db = copy_db(papers_db, tmp_path / "f.duckdb")
    first_papers, first_claims, first_boards = papers_of(db), claims_of(db), assert_boards_fresh(db)
    assert query(db, "SELECT papers, format FROM loaded_files") == [(5, None)]
    make, read, expected = SECOND_LOADS[name]
    files, kw = make(tmp_path)
    reads.clear()
    res = load(db, *files, **kw)
    assert counts(res) == expected, res.summary()
    assert (reads == files) if read else (reads == []), reads
    after = papers_of(db)
    unchanged = [pid for pid in first_papers if after[pid] == first_papers[pid]]
    assert len(unchanged) == expected[3]  # unchanged papers keep even their loaded_at
    if expected[2] == 0:
        assert claims_of(db) == first_claims
        assert assert_boards_fresh(db) == first_boards
    else:
        assert_boards_fresh(db)
    # the file just loaded is remembered: a third load of it is skipped
    reads.clear()
    res = load(db, *files, **{k: v for k, v in kw.items() if k != "reextract"})
    assert reads == [] and counts(res) == (5, 0, 0, 5)


def test_reload_restores_a_file_after_another_changed_its_papers(tmp_path: Path, reads: list[Path], papers_db) -> None:
    """A, then B (changes some of A's papers), then A again: A's version is read and restored."""
    db = copy_db(papers_db, tmp_path / "ab.duckdb")
    a_papers, a_claims = papers_of(db), claims_of(db, ("cli-000", "cli-001", "cli-002", "cli-003", "cli-004"))
    res_b = load(db, PAPERS_CHANGED)
    assert res_b.total("changed") >= 1
    changed_by_b = [pid for pid, v in papers_of(db).items() if pid in a_papers and v[0] != a_papers[pid][0]]
    assert changed_by_b
    assert query(db, "SELECT path FROM loaded_files") == [(str(PAPERS_CHANGED),)]  # A's fingerprint was cleared
    reads.clear()
    res = load(db, PAPERS)
    assert reads == [PAPERS]
    assert counts(res) == (5, 0, len(changed_by_b), 5 - len(changed_by_b))
    now = papers_of(db)
    assert {pid: now[pid][:3] for pid in a_papers} == {pid: v[:3] for pid, v in a_papers.items()}
    assert claims_of(db, tuple(a_papers)) == a_claims
    assert query(db, "SELECT path FROM loaded_files") == [(str(PAPERS),)]
    assert_boards_fresh(db)


def test_several_files_in_one_load_are_as_without_fingerprints(tmp_path: Path, pristine: Path) -> None:
    """B loaded (fingerprinted), then A and B in one load: the result (B, the later file, wins the papers
    both hold) is the same as when the fingerprints are forgotten. (B's fingerprint must not let the load
    skip B after A staged replacements of B's papers.)"""
    inputs = [PAPERS, PAPERS_CHANGED]
    results = []
    for forget in (False, True):
        db = tmp_path / f"{forget}.duckdb"
        copy_db(pristine, db)
        load(db, PAPERS_CHANGED)
        b_version = {pid: v[0] for pid, v in papers_of(db).items()}
        if forget:
            with duckdb.connect(str(db)) as con:
                con.execute("DELETE FROM loaded_files")
        res = load(db, *inputs)
        results.append((counts(res), {k: v[:3] for k, v in papers_of(db).items()}, claims_of(db)))
        assert_boards_fresh(db)
    assert results[0] == results[1]
    counts_, papers, _ = results[0]
    assert {pid: papers[pid][0] for pid in b_version} == b_version  # every paper of B as B has it
    assert counts_[1:] == (2, 2, 5)  # A: cli-003/004 new, cli-001 changed; B: cli-001 changed back


def test_load_twice_by_cli_reports_all_unchanged(tmp_path: Path, reads: list[Path]) -> None:
    db = tmp_path / "c.duckdb"
    first = ok("load", PAPERS, "--db", db, "--jobs", "1", "--quiet")
    assert first.stdout.startswith("loaded 5 papers (5 new, 0 changed, 0 unchanged), ")
    snapshot = state(db)
    reads.clear()
    second = ok("load", PAPERS, "--db", db, "--jobs", "1", "--quiet")
    assert second.stdout.startswith("loaded 5 papers (0 new, 0 changed, 5 unchanged), 0 claims in ")
    assert reads == []
    assert state(db) == snapshot


@pytest.mark.parametrize("sql", [
    "UPDATE papers SET title = title",  # even a write that changes no value
    "DELETE FROM claims WHERE paper_id = 'cli-002'",
    "INSERT INTO metrics (metric, higher_is_better, family, unit, aliases) VALUES ('other:new', true, 'other', NULL, [])",
])  # fmt: skip
def test_sql_write_clears_loaded_files(db: Path, sql: str, reads: list[Path]) -> None:
    assert len(query(db, "SELECT * FROM loaded_files")) == 2  # the sample and papers.jsonl
    ok("sql", sql, "--db", db, "--write")
    assert query(db, "SELECT * FROM loaded_files") == []
    assert_boards_fresh(db)
    reads.clear()
    res = load(db, PAPERS)
    assert reads == [PAPERS] and counts(res) == (5, 0, 0, 5)


def test_sql_read_with_write_flag_keeps_loaded_files(db: Path) -> None:
    """A SELECT run with --write writes nothing: the fingerprints stay."""
    before = query(db, "SELECT * FROM loaded_files ORDER BY path")
    r = ok("sql", "SELECT count(*) AS n FROM papers", "--db", db, "--write", "--format", "csv")
    assert r.stdout.splitlines()[0] == "n"
    assert query(db, "SELECT * FROM loaded_files ORDER BY path") == before


def test_publish_out_of_memory_once_is_tried_again_with_a_larger_cap(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = copy_db(db, tmp_path / "reference.duckdb")
    load(reference, PAPERS_CHANGED, batch_size=2)
    caps = _publish_out_of_memory(monkeypatch, times=1)
    res = load(db, PAPERS_CHANGED, batch_size=2)
    monkeypatch.undo()
    assert len(caps) == 2 and caps[1] != caps[0]  # rolled back, then run again under the next cap
    assert res.total("changed") >= 1
    assert staging_tables(db) == set()
    mine, theirs = state(db), state(reference)
    assert mine.pop("papers") != [] and theirs.pop("papers") != []  # rows differ only by loaded_at
    assert mine == theirs
    papers = "SELECT paper_id, content_hash, extractor_version, vocab_hash FROM papers ORDER BY paper_id"
    assert query(db, papers) == query(reference, papers)
    assert_boards_fresh(db)
