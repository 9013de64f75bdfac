"""Bad input files through the real CLI: one clear line, exit 1, and the database left exactly as it was.

For every case: a database already holding `good.jsonl` is copied, `python -m tracker load BAD --db DB`
runs as a subprocess, and then
  * the exit code is 1,
  * stderr is exactly one line, with no traceback, naming the file, the record (line/entry number)
    and the problem,
  * every table of the database holds the same rows as before (a failed load writes nothing).
The one accepted case is a UTF-8 file starting with a byte-order mark.

Small inputs live in tests/fixtures/bad_inputs/ (see its README.md); large or binary ones are
generated here into tmp_path.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import duckdb
import pytest

from conftest import FIXTURES, RECORD_RE, ROOT, copy_db, db_snapshot, run_tracker, stderr_lines, tracker_cmd, tracker_env

MEASURE = Path(__file__).with_name("measure_peak.py")

DEV = [json.loads(ln) for ln in Path("/work/shared/data/dev_abstracts.jsonl").read_text(encoding="utf-8").splitlines()]


def _jsonl(records) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def _rec(i: str, k: int) -> dict:
    r = DEV[k % len(DEV)]
    return {"id": i, "title": r["title"], "abstract": r["abstract"]}


# --- generated inputs (large or binary) -------------------------------------------------------


def gen_binary(tmp: Path) -> Path:
    """Random bytes (with NULs and a PNG header) under a .jsonl name."""
    rnd = random.Random(7)
    p = tmp / "binary.jsonl"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(4096)))
    return p


def gen_huge_abstract(tmp: Path) -> Path:
    """Line 2 carries a 10 MB abstract built from real text."""
    base = " ".join(r["abstract"] for r in DEV[:20])
    big = (base + " ") * (10 * 1024 * 1024 // len(base) + 1)
    big = big[: 10 * 1024 * 1024]
    p = tmp / "huge_abstract.jsonl"
    p.write_bytes(_jsonl([_rec("huge-001", 3), {"id": "huge-002", "title": "A very long abstract", "abstract": big}]))
    assert p.stat().st_size > 10_000_000
    return p


def gen_truncated_gz(tmp: Path) -> Path:
    """A gzip'd JSONL file cut in the middle of its compressed stream."""
    data = gzip.compress(_jsonl([_rec(f"gz-{k:03d}", k) for k in range(40)]))
    p = tmp / "truncated.jsonl.gz"
    p.write_bytes(data[: len(data) // 2])
    return p


def gen_latin1_gz(tmp: Path) -> Path:
    """latin-1 bytes on line 2 of a gzip'd JSONL file (the .gz must not hide the record number)."""
    raw = (FIXTURES / "latin1.jsonl").read_bytes()
    p = tmp / "latin1.jsonl.gz"
    p.write_bytes(gzip.compress(raw))
    return p


def _gz_members(prefix: bytes, block: bytes, times: int, suffix: bytes) -> bytes:
    """prefix + block * times + suffix as a multi-member gzip stream (one member per part, the block's
    member repeated): a 1 GB payload is written in milliseconds, and every gzip reader sees one stream."""
    fast = lambda b: gzip.compress(b, compresslevel=1)  # noqa: E731
    return fast(prefix) + fast(block) * times + fast(suffix)


GIB_BLOCKS = 1024  # 1 MiB blocks: 1 GiB decompressed


def gen_deep_hf_json(tmp: Path) -> Path:
    """A 200 KB Hugging Face JSON file: one array nested 100,000 deep (grew `tracker load` to 24 GB)."""
    p = tmp / "deep.json"
    p.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    return p


def gen_deep_jsonl_line(tmp: Path) -> Path:
    """JSONL whose line 2 holds a value nested 100,000 deep (a RecursionError traceback)."""
    deep = '{"id": "deep-002", "title": "Deep", "abstract": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}\n"
    p = tmp / "deep_line.jsonl"
    p.write_bytes(_jsonl([_rec("deep-001", 4)]) + deep.encode())
    return p


def gen_gib_string_hf_json_gz(tmp: Path) -> Path:
    """Hugging Face JSON, gzipped: paper 2's summary is a 1 GiB string (2.1 GB RSS before the limit saw it)."""
    first = {"paper": {"id": "2106.00001", "title": DEV[5]["title"], "summary": DEV[5]["abstract"]}}
    prefix = b"[" + json.dumps(first).encode() + b', {"paper": {"id": "2106.00002", "title": "Huge", "summary": "'
    p = tmp / "gib_string.json.gz"
    p.write_bytes(_gz_members(prefix, b"ab " * ((1 << 20) // 3 + 1), GIB_BLOCKS, b'"}}]'))
    return p


def gen_gib_summary_atom_gz(tmp: Path) -> Path:
    """An arXiv Atom feed, gzipped: entry 2's <summary> is 1 GiB of text (ran for minutes)."""
    head = (FIXTURES / "truncated_feed.atom").read_text(encoding="utf-8")
    second = head.index("<entry>", head.index("<entry>") + 1)
    prefix = head[:second] + (
        "<entry><id>http://arxiv.org/abs/2303.00009v1</id><published>2023-03-16T00:00:00Z</published>"
        "<title>Huge</title><summary>"
    )
    p = tmp / "gib_summary.atom.gz"
    p.write_bytes(_gz_members(prefix.encode(), b"word " * (1 << 18), GIB_BLOCKS, b"</summary></entry></feed>"))
    return p


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], Path]  # -> the path given to `tracker load`
    names_file: str  # the file the error line must name
    record: str  # regex the error line must match for the record
    problem: str = r"\w{3,}"  # regex for some words of the problem (after the record)


def fixture(name: str) -> Callable[[Path], Path]:
    return lambda tmp: FIXTURES / name


ANY = RECORD_RE

CASES = [
    Case("truncated JSON line", fixture("truncated_line.jsonl"), "truncated_line.jsonl", r"\bline 3\b"),
    Case("latin-1 bytes in UTF-8 JSONL", fixture("latin1.jsonl"), "latin1.jsonl", r"\bline 2\b"),
    Case("latin-1 bytes in gzip'd JSONL", gen_latin1_gz, "latin1.jsonl.gz", r"\bline 2\b"),
    Case("binary file", gen_binary, "binary.jsonl", ANY),
    Case("empty file", fixture("empty.jsonl"), "empty.jsonl", ANY),
    Case("CSV without the abstract column", fixture("missing_columns.csv"), "missing_columns.csv", ANY),
    Case("CSV row with missing fields", fixture("short_row.csv"), "short_row.csv", r"\bline 3\b|\brow 2\b|\brecord 2\b"),
    Case("10 MB abstract", gen_huge_abstract, "huge_abstract.jsonl", r"\bline 2\b"),
    Case("duplicate id, different content", fixture("duplicate_ids.jsonl"), "duplicate_ids.jsonl", r"\bline 3\b"),
    Case("Atom feed that is an HTML page", fixture("html_page.atom"), "html_page.atom", ANY),
    Case("Atom feed cut mid-entry", fixture("truncated_feed.atom"), "truncated_feed.atom", ANY),
    Case("truncated .gz", gen_truncated_gz, "truncated.jsonl.gz", ANY),
    Case("record without abstract", fixture("no_abstract.jsonl"), "no_abstract.jsonl", r"\bline 2\b"),
    Case("record with a blank abstract", fixture("blank_abstract.jsonl"), "blank_abstract.jsonl", r"\bline 2\b"),
    Case("JSON line that is not an object", fixture("not_object.jsonl"), "not_object.jsonl", r"\bline 2\b"),
    Case("JSON array broken midway", fixture("broken_array.json"), "broken_array.json", ANY),
    Case("directory mixing good and bad files", fixture("mixed_dir"), "b_bad.jsonl", r"\bline 2\b"),
]
# Inputs built to exhaust memory or time: also checked for peak RSS and seconds (test_huge_input_...).
HUGE = [
    Case("HF JSON nested 100k deep", gen_deep_hf_json, "deep.json", r"\bpaper 1\b", r"nested deeper than 100"),
    Case("JSONL line nested 100k deep", gen_deep_jsonl_line, "deep_line.jsonl", r"\bline 2\b", r"nested deeper than 100"),
    Case("1 GiB string in gzipped HF JSON", gen_gib_string_hf_json_gz, "gib_string.json.gz", r"\bpaper 2\b", r"100000-character"),
    Case("1 GiB summary in gzipped Atom", gen_gib_summary_atom_gz, "gib_summary.atom.gz", r"\bentry 2\b", r"summary.*100000-character"),
]
CASES += HUGE


@pytest.fixture(scope="module")
def base_db(tmp_path_factory) -> Path:
    """A database holding the three papers of good.jsonl, loaded once through the CLI."""
    db = tmp_path_factory.mktemp("base") / "base.duckdb"
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", db)
    assert proc.returncode == 0, f"loading good.jsonl failed: {proc.stderr[-3000:]}"
    snap = db_snapshot(db)
    assert "papers" in snap and "claims" in snap, f"tables: {sorted(snap)}"
    assert len(snap["papers"]) == 3, snap["papers"]
    assert len(snap["claims"]) > 0, "the good papers report numbers; some claims are expected"
    return db


def test_case_count():
    # The list (13 kinds) plus variants; keep the table from shrinking silently.
    assert len(CASES) >= 21


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_refused_with_one_line_and_db_unchanged(case: Case, base_db: Path, tmp_path: Path):
    db = copy_db(base_db, tmp_path / "t.duckdb")
    before = db_snapshot(db)
    path = case.make(tmp_path)

    proc = run_tracker("load", path, "--db", db)

    problems = []
    ctx = f"exit={proc.returncode} stderr={proc.stderr[-1500:]!r}"
    if proc.returncode != 1:
        problems.append(f"exit code {proc.returncode}, expected 1")
    if "Traceback" in proc.stderr or "Traceback" in proc.stdout:
        problems.append("a traceback is shown")
    lines = stderr_lines(proc)
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr, expected exactly 1")
    line = " ".join(lines)
    if case.names_file not in line:
        problems.append(f"the error does not name the file {case.names_file!r}")
    m = re.search(case.record, line, re.I)
    if not m:
        problems.append(f"the error does not name the record (expected /{case.record}/)")
    elif not re.search(case.problem, line[m.end():]):
        problems.append("no problem described after the record")
    after = db_snapshot(db)
    if after != before:
        changed = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
        problems.append(f"database changed in tables {changed}")
    assert not problems, f"{case.name}: " + "; ".join(problems) + f"\n{ctx}"


def test_utf8_bom_is_accepted(base_db: Path, tmp_path: Path):
    db = copy_db(base_db, tmp_path / "t.duckdb")
    proc = run_tracker("load", FIXTURES / "bom.jsonl", "--db", db)
    assert proc.returncode == 0, f"a UTF-8 BOM must be accepted: exit={proc.returncode} stderr={proc.stderr[-2000:]!r}"
    con = duckdb.connect(str(db), read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT paper_id FROM papers ORDER BY 1").fetchall()]
        titles = [r[0] for r in con.execute("SELECT title FROM papers").fetchall()]
    finally:
        con.close()
    assert "bom-001" in ids and "bom-002" in ids, ids  # exact ids: the BOM is not glued to the first id
    assert not any(str(t).startswith("\ufeff") for t in titles + ids)
    assert "good-001" in ids  # the earlier load is still there


@pytest.mark.parametrize("case", HUGE, ids=[c.name for c in HUGE])
def test_huge_input_is_refused_with_bounded_memory_and_time(case: Case, tmp_path: Path):
    """Measured by measure_peak.py: the peak RSS of the load's process tree and its wall time."""
    path = case.make(tmp_path)
    cmd = [sys.executable, str(MEASURE), "--guard-mb", "3000", "--timeout", "120", "--",
           *tracker_cmd("load", path, "--db", tmp_path / "h.duckdb")]  # fmt: skip
    out = subprocess.run(cmd, cwd=ROOT, env=tracker_env(), capture_output=True, text=True, timeout=200)
    assert out.returncode == 0, out.stderr[-2000:]
    res = json.loads(out.stdout)
    ctx = f"{res['seconds']:.1f} s, peak {res['peak_mb']:.0f} MB, guard={res['guard']}, stderr={res['stderr'][-600:]!r}"
    assert res["guard"] is None and res["returncode"] == 1, ctx
    lines = [ln for ln in res["stderr"].splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res["stderr"], ctx
    assert re.search(case.record + ".*" + case.problem, lines[0]), ctx
    assert res["peak_mb"] < 500, ctx  # a loading process is ~200 MB; the string or the nesting adds nothing
    assert res["seconds"] < 40, ctx


# --- a bad `--db`: an existing file that is not a DuckDB database (issue 16 §1) -------------------


def _sqlite(tmp: Path) -> Path:
    import sqlite3

    p = tmp / "other.sqlite"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return p


NOT_DUCKDB = [
    ("a CSV file", lambda tmp: _write(tmp / "v.csv", b"id,title,abstract\n1,A,B\n")),
    ("the input JSONL itself", lambda tmp: _write(tmp / "papers.jsonl", (FIXTURES / "good.jsonl").read_bytes())),
    ("an 8-byte text file", lambda tmp: _write(tmp / "short.duckdb", b"a,b\n1,2\n")),
    ("a gzip file", lambda tmp: _write(tmp / "x.duckdb.gz", gzip.compress(b"x" * 100))),
    ("an SQLite database", _sqlite),
    ("a PNG under a .duckdb name", lambda tmp: gen_binary(tmp).rename(tmp / "img.duckdb")),
]
DB_COMMANDS = {
    "load": lambda db: ["load", FIXTURES / "good.jsonl", "--db", db, "-q"],
    "load --sample": lambda db: ["load", "--sample", "--db", db, "-q"],
    "sql": lambda db: ["sql", "SELECT 1", "--db", db],
    "export": lambda db: ["export", "--db", db, "--out", db.parent / "exported"],
    "review list": lambda db: ["review", "list", "--db", db],
    "reviews import": lambda db: ["reviews", "import", FIXTURES / "good.jsonl", "--db", db],
}


def _write(p: Path, data: bytes) -> Path:
    p.write_bytes(data)
    return p


# Every command on the CSV file (the case of the issue), and every kind of file with one command each.
_CMDS = sorted(DB_COMMANDS)
DB_PAIRS = [(NOT_DUCKDB[0], c) for c in _CMDS] + [(k, _CMDS[i % len(_CMDS)]) for i, k in enumerate(NOT_DUCKDB[1:])]


@pytest.mark.parametrize("kind_make, command", DB_PAIRS, ids=[f"{k[0]}-{c}" for k, c in DB_PAIRS])
def test_a_db_that_is_not_duckdb_is_refused_and_left_as_it_was(tmp_path: Path, kind_make, command):
    kind, make = kind_make
    db = make(tmp_path)
    before = db.read_bytes()
    files_before = sorted(p.name for p in tmp_path.iterdir())
    proc = run_tracker(*DB_COMMANDS[command](db))
    assert proc.returncode == 1, f"{kind}, {command}: exit {proc.returncode}: {proc.stdout[-500:]} {proc.stderr[-1000:]}"
    lines = stderr_lines(proc)
    if command == "reviews import":  # the import file is checked first: its own error is fine too
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    else:
        assert len(lines) == 1 and db.name in lines[0] and "not a DuckDB database" in lines[0], proc.stderr
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files_before, "a file was created beside the bad --db"


def test_an_empty_file_is_refused_too(tmp_path: Path):
    db = tmp_path / "empty.duckdb"
    db.touch()
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", db, "-q")
    assert proc.returncode == 1 and "not a DuckDB database" in proc.stderr and len(stderr_lines(proc)) == 1
    assert db.read_bytes() == b""


FIRST_LOAD_FAILS = [c for c in CASES if c.name in (
    "truncated JSON line", "binary file", "empty file", "directory mixing good and bad files", "truncated .gz",
)]  # fmt: skip


@pytest.mark.parametrize("case", FIRST_LOAD_FAILS, ids=[c.name for c in FIRST_LOAD_FAILS])
def test_a_failed_first_load_leaves_no_database_file(case: Case, tmp_path: Path):
    d = tmp_path / "dbdir"
    d.mkdir()
    proc = run_tracker("load", case.make(tmp_path), "--db", d / "new.duckdb")
    assert proc.returncode == 1 and len(stderr_lines(proc)) == 1, proc.stderr
    assert list(d.iterdir()) == [], f"left behind: {[p.name for p in d.iterdir()]}"


def test_a_failed_first_load_keeps_an_existing_journal(tmp_path: Path):
    """A journal without its database (a rebuild from the journal) is never removed by a failed load."""
    journal = tmp_path / "new.duckdb.reviews.jsonl"
    journal.write_text("")
    proc = run_tracker("load", FIXTURES / "truncated_line.jsonl", "--db", tmp_path / "new.duckdb")
    assert proc.returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == [journal.name]
