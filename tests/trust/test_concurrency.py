"""Two readers at once both work; a writer holding the file makes readers fail fast with one line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, assert_one_line_error, load_good, run_tracker, tracker_cmd

READER = """
import sys, time
from tracker.store import connect_readonly
con = connect_readonly(sys.argv[1])
n = 0
t_end = time.monotonic() + float(sys.argv[2])
while time.monotonic() < t_end:
    n += con.execute("SELECT count(*) FROM claims c JOIN papers p USING (paper_id)").fetchone()[0] > 0
print("ok", n, flush=True)
"""

HOLDER = """
import sys, time
from tracker.store import Store
s = Store(sys.argv[1])
print("ready", flush=True)
time.sleep(float(sys.argv[2]))
s.close()
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return load_good(tmp_path_factory, "conc")


def _py(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_two_readonly_connections_in_two_processes(db):
    procs = [_py(READER, db, 2.0) for _ in range(2)]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
        assert out.startswith("ok ") and int(out.split()[1]) > 0, out


def test_two_readonly_connections_in_one_process_are_both_sandboxed(db):
    """The second shares the first's (already locked) database instance: it must open, and stay locked."""
    from tracker.store import connect_readonly
    from tracker.store.safe_sql import SQLError, run_user_sql

    first, second = connect_readonly(db), connect_readonly(db)
    try:
        for con in (first, second):
            assert con.execute("SELECT count(*) FROM papers").fetchone()[0] > 0
            with pytest.raises(SQLError):
                run_user_sql(con, "SELECT * FROM read_csv('/etc/passwd')")
            with pytest.raises(Exception, match="lock"):
                con.execute("SET enable_external_access = true")
    finally:
        first.close()
        second.close()


def test_two_tracker_sql_at_once(db):
    sql = "SELECT p.paper_id, count(*) AS n FROM claims c JOIN papers p USING (paper_id) GROUP BY ALL ORDER BY 1"
    procs = [
        subprocess.Popen(tracker_cmd("sql", sql, "--db", db), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err[-2000:]
        assert "good-001" in out, out


@pytest.fixture
def writer(db):
    """A subprocess holding a write connection (Store) on the database for up to 60 s."""
    p = _py(HOLDER, db, 60)
    line = p.stdout.readline()
    if line.strip() != "ready":
        p.kill()
        out, err = p.communicate()
        pytest.fail(f"writer did not start: {line!r} {err[-2000:]}")
    yield p
    p.kill()
    p.communicate(timeout=30)


def test_connect_readonly_fails_fast_while_a_writer_holds_the_file(db, writer):
    from tracker.store import StoreError, connect_readonly

    t0 = time.monotonic()
    with pytest.raises(StoreError) as ei:
        connect_readonly(db)
    assert time.monotonic() - t0 < 5, "connect_readonly waited instead of failing fast"
    msg = str(ei.value)
    assert "\n" not in msg.strip(), msg
    assert str(db) in msg or db.name in msg, msg
    assert "lock" in msg.lower() or "in use" in msg.lower() or "another process" in msg.lower(), msg
    assert isinstance(ei.value, ValueError)


def test_tracker_sql_fails_fast_while_a_writer_holds_the_file(db, writer):
    t0 = time.monotonic()
    proc = run_tracker("sql", "SELECT count(*) FROM papers", "--db", db, timeout=60)
    elapsed = time.monotonic() - t0
    line = assert_one_line_error(proc, db.name, what="tracker sql while a writer holds the file")
    assert "lock" in line.lower() or "another process" in line.lower() or "in use" in line.lower(), line
    assert elapsed < 20, f"tracker sql took {elapsed:.1f}s to fail"


def test_second_writer_fails_fast_while_a_writer_holds_the_file(db, writer, tmp_path):
    proc = run_tracker("load", FIXTURES / "bom.jsonl", "--db", db, timeout=60)
    assert_one_line_error(proc, db.name, what="tracker load while another writer holds the file")


def test_readers_work_again_after_the_writer_is_gone(db):
    from tracker.store import connect_readonly

    con = connect_readonly(db)
    try:
        assert con.execute("SELECT count(*) FROM papers").fetchone()[0] == 3
    finally:
        con.close()
