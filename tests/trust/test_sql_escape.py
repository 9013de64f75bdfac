"""User SQL cannot escape: every attempt to read or write files, reach the network, change settings,
write the database or run more than one statement is refused with a one-line ValueError, and never
executed.

All attempts run through `tracker.store.safe_sql.run_user_sql` on a `connect_readonly` connection to a
real database loaded by the CLI (tests/fixtures/bad_inputs/good.jsonl), then a subset through
`tracker sql` as a user types it. Afterwards every table holds the same rows and none of the files the
attempts name exists.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT, assert_one_line_error, run_tracker

# One tag per run, the same in every xdist worker (test ids hold it, and workers must collect the same ids).
TAG = f"ct_trust_{(os.environ.get('PYTEST_XDIST_TESTRUNUID') or uuid.uuid4().hex)[:10]}"
TMP = f"/tmp/{TAG}"  # every path an attempt names starts with this; none may exist afterwards

ESCAPES: list[tuple[str, str]] = [
    ("read_csv", "SELECT * FROM read_csv('/etc/passwd')"),
    ("read_csv list", "SELECT * FROM read_csv(['/etc/passwd', '/etc/hostname'])"),
    ("read_csv_auto", "SELECT * FROM read_csv_auto('/etc/passwd')"),
    ("read_text", "SELECT * FROM read_text('/etc/passwd')"),
    ("read_blob", "SELECT * FROM read_blob('/etc/passwd')"),
    ("read_json", "SELECT * FROM read_json('/etc/passwd')"),
    ("read_json_objects", "SELECT * FROM read_ndjson_objects('/etc/passwd')"),
    ("read_parquet", f"SELECT * FROM read_parquet('{TMP}_p.parquet')"),
    ("sniff_csv", "SELECT * FROM sniff_csv('/etc/passwd')"),
    ("glob", "SELECT * FROM glob('/*')"),
    ("quoted function name", "SELECT * FROM \"read_csv\"('/etc/passwd')"),
    ("read_csv inside CTE", "WITH x AS (SELECT * FROM read_csv('/etc/passwd')) SELECT count(*) FROM x"),
    ("read_csv in subquery", "SELECT (SELECT count(*) FROM read_text('/etc/passwd')) AS n"),
    ("file path as table", "SELECT * FROM '/etc/passwd'"),
    ("file:// path as table", "SELECT * FROM 'file:///etc/passwd'"),
    ("URL as table", "SELECT * FROM 'https://example.com/x.csv'"),
    ("COPY table TO", f"COPY claims TO '{TMP}_claims.csv'"),
    ("COPY query TO", f"COPY (SELECT 1) TO '{TMP}_q.csv'"),
    ("copy behind a comment", f"/* just a select */ copy papers to '{TMP}_c.csv' (HEADER)"),
    ("EXPORT DATABASE", f"EXPORT DATABASE '{TMP}_export'"),
    ("ATTACH file", f"ATTACH '{TMP}_y.db' AS y"),
    ("ATTACH memory", "ATTACH ':memory:' AS m"),
    ("DETACH", "DETACH main"),
    ("USE", "USE system"),
    ("INSTALL", "INSTALL httpfs"),
    ("LOAD", "LOAD httpfs"),
    ("SET external access", "SET enable_external_access = true"),
    ("SET lock_configuration", "SET lock_configuration = false"),
    ("SET threads", "SET threads = 1"),
    ("RESET", "RESET enable_external_access"),
    ("PRAGMA profiling output", f"PRAGMA profiling_output = '{TMP}_prof.json'"),
    ("PRAGMA enable_profiling", "PRAGMA enable_profiling = 'json'"),
    ("CREATE TABLE", "CREATE TABLE t AS SELECT 1 AS x"),
    ("CREATE TEMP TABLE", "CREATE TEMP TABLE t AS SELECT * FROM claims"),
    ("CREATE VIEW", "CREATE VIEW v AS SELECT 1"),
    ("CREATE MACRO", "CREATE MACRO m(x) AS x + 1"),
    ("CREATE SECRET", "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')"),
    ("INSERT", "INSERT INTO papers (paper_id, title, abstract) VALUES ('x', 'x', 'x')"),
    ("UPDATE", "UPDATE claims SET value = 0"),
    ("DELETE", "DELETE FROM claims"),
    ("DROP TABLE", "DROP TABLE claims"),
    ("ALTER TABLE", "ALTER TABLE claims ADD COLUMN pwned INTEGER"),
    ("two statements", "SELECT 1; DROP TABLE claims"),
    ("two statements, second a COPY", f"SELECT count(*) FROM claims;\nCOPY claims TO '{TMP}_two.csv'"),
    ("CALL", "CALL force_checkpoint()"),
    ("CHECKPOINT", "CHECKPOINT"),
    ("VACUUM", "VACUUM"),
    ("query() table function", "SELECT * FROM query('DROP TABLE claims')"),
    ("query_table over file", "SELECT * FROM query_table('/etc/passwd')"),
    ("BEGIN", "BEGIN TRANSACTION"),
    ("EXPLAIN ANALYZE CREATE TEMP TABLE", "EXPLAIN ANALYZE CREATE TEMP TABLE t AS SELECT * FROM claims"),
    ("EXPLAIN ANALYZE CREATE TEMP MACRO", "EXPLAIN ANALYZE CREATE TEMP MACRO m(x) AS x + 1"),
    ("EXPLAIN ANALYZE INSERT", "EXPLAIN ANALYZE INSERT INTO papers (paper_id) VALUES ('x')"),
    ("EXPLAIN ANALYZE COPY", f"EXPLAIN ANALYZE COPY claims TO '{TMP}_ea.csv'"),
    ("EXPLAIN ANALYZE DELETE", "EXPLAIN ANALYZE DELETE FROM claims"),
    # A dynamic PIVOT is a MULTI statement that reads (allowed, test_pivot_is_allowed); these wrap one in a write.
    ("CREATE TABLE AS dynamic PIVOT", "CREATE TABLE t AS PIVOT claims ON kind USING count(*)"),
    ("CREATE TEMP TABLE AS dynamic PIVOT", "CREATE TEMP TABLE t AS PIVOT claims ON kind USING count(*)"),
    ("COPY dynamic PIVOT TO", f"COPY (PIVOT claims ON kind USING count(*)) TO '{TMP}_pivot.csv'"),
    ("INSERT from dynamic PIVOT", "INSERT INTO claims SELECT * FROM (PIVOT claims ON kind USING count(*))"),
    ("DELETE with dynamic PIVOT", "DELETE FROM claims WHERE claim_id IN (SELECT 1 FROM (PIVOT claims ON kind USING count(*)))"),
    ("data-modifying CTE + PIVOT", "WITH d AS (DELETE FROM claims RETURNING *) SELECT * FROM (PIVOT d ON kind USING count(*))"),
    ("PREPARE dynamic PIVOT", "PREPARE p AS PIVOT claims ON kind USING count(*)"),
    ("dynamic PIVOT over read_csv", "PIVOT (SELECT * FROM read_csv('/etc/passwd')) ON column0 USING count(*)"),
    ("dynamic PIVOT then DROP", "PIVOT claims ON kind USING count(*); DROP TABLE claims"),
]

ESCAPE_PATHS = [f"{TMP}_{s}" for s in ("p.parquet", "ea.csv", "claims.csv", "q.csv", "c.csv", "export", "y.db", "prof.json", "two.csv", "pivot.csv")]


@pytest.fixture(scope="module")
def sql_db(tmp_path_factory) -> dict:
    """A database with the good fixture loaded by the CLI, and a snapshot of it taken in a subprocess."""
    db = tmp_path_factory.mktemp("sql") / "sql.duckdb"
    proc = run_tracker("load", FIXTURES / "good.jsonl", "--db", db)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for p in ESCAPE_PATHS:
        assert not Path(p).exists()
    return {"db": db, "before": snapshot_in_subprocess(db)}


def snapshot_in_subprocess(db: Path) -> str:
    """Every table's rows, read by a fresh process with plain duckdb (independent of our connections)."""
    code = (
        "import sys, duckdb\n"
        "con = duckdb.connect(sys.argv[1], read_only=True)\n"
        "ts = [r[0] for r in con.execute(\"SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1\").fetchall()]\n"
        "print(repr({t: con.execute(f'SELECT * FROM \"{t}\" ORDER BY ALL').fetchall() for t in ts}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.fixture
def ro(sql_db):
    from tracker.store import connect_readonly

    con = connect_readonly(sql_db["db"])
    yield con
    con.close()


def _refused(run, con, sql: str, **kw) -> BaseException:
    try:
        df = run(con, sql, **kw)
    except ValueError as e:  # UnsafeSQLError / QueryTimeoutError are ValueErrors
        return e
    except Exception as e:  # noqa: BLE001 - anything else is a failure with a precise message
        pytest.fail(f"{sql!r} raised {type(e).__module__}.{type(e).__name__} (not a ValueError): {str(e)[:300]!r}")
    pytest.fail(f"{sql!r} was EXECUTED and returned {len(df)} rows:\n{df.head(3)!r}")


def test_at_least_25_attempts():
    assert len(ESCAPES) >= 25
    assert len({s for _, s in ESCAPES}) == len(ESCAPES)


@pytest.mark.parametrize("sql", [s for _, s in ESCAPES], ids=[n for n, _ in ESCAPES])
def test_escape_attempt_is_refused(ro, sql):
    from tracker.store.safe_sql import UnsafeSQLError, run_user_sql

    n_before = len(run_user_sql(ro, "SELECT * FROM papers"))
    objs_before = _session_objects(ro)
    e = _refused(run_user_sql, ro, sql, timeout_s=5)
    msg = str(e)
    assert msg.strip(), f"{sql!r}: empty error message"
    assert "\n" not in msg.strip(), f"{sql!r}: message is not one line: {msg!r}"
    assert len(msg) < 400, f"{sql!r}: message too long for one line: {msg!r}"
    assert isinstance(e, UnsafeSQLError) or type(e).__name__ != "QueryTimeoutError", f"{sql!r}: refused only by the timeout"
    # The connection is still sane and still locked down.
    assert len(run_user_sql(ro, "SELECT * FROM papers")) == n_before
    settings = dict(ro.execute(
        "SELECT name, value FROM duckdb_settings() WHERE name IN ('enable_external_access', 'lock_configuration')"
    ).fetchall())
    assert settings == {"enable_external_access": "false", "lock_configuration": "true"}, settings
    assert _session_objects(ro) == objs_before, f"{sql!r} was executed: it created {_session_objects(ro) - objs_before}"


def _session_objects(con) -> set[str]:
    """Temporary tables/views and user macros visible to this connection (a refused statement adds none)."""
    tables = {f"table {r[0]}" for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()}
    views = {f"view {r[0]}" for r in con.execute("SELECT view_name FROM duckdb_views() WHERE temporary").fetchall()}
    funcs = {f"macro {r[0]}" for r in con.execute("SELECT function_name FROM duckdb_functions() WHERE NOT internal").fetchall()}
    dbs = {f"database {r[0]}" for r in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}
    return tables | views | funcs | dbs


def test_all_attempts_in_one_session(ro):
    """A user at the dashboard tries them one after another on the same connection."""
    from tracker.store.safe_sql import run_user_sql

    executed = []
    for name, sql in ESCAPES:
        try:
            run_user_sql(ro, sql, timeout_s=5)
            executed.append(name)
        except ValueError:
            pass
        except Exception as e:  # noqa: BLE001
            executed.append(f"{name} (raised {type(e).__name__})")
    assert not executed, f"not refused as ValueError on a shared connection: {executed}"


@pytest.mark.parametrize(
    "sql",
    [
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r",
        "SELECT count(*) FROM range(1000000000) a, range(1000000000) b",
    ],
    ids=["endless recursive CTE", "huge cross join"],
)
def test_long_query_is_stopped_by_the_time_limit(ro, sql):
    from tracker.store.safe_sql import QueryTimeoutError, run_user_sql

    t0 = time.monotonic()
    with pytest.raises(QueryTimeoutError) as ei:
        run_user_sql(ro, sql, timeout_s=1.0)
    elapsed = time.monotonic() - t0
    assert elapsed < 8, f"took {elapsed:.1f}s for a 1 s limit"
    msg = str(ei.value)
    assert "\n" not in msg.strip() and msg.strip()
    assert re.search(r"time|second|limit|stopped after|\d\s*s\b", msg.lower()), msg
    assert isinstance(ei.value, ValueError)
    # and the connection is usable afterwards
    assert len(run_user_sql(ro, "SELECT 1 AS x")) == 1


@pytest.mark.parametrize(
    "sql",
    [
        "PIVOT claims ON kind USING count(*) GROUP BY metric",
        "WITH p AS (PIVOT claims ON kind USING count(*) GROUP BY metric) SELECT * FROM p ORDER BY metric",
        "PIVOT_WIDER claims ON kind USING count(*) GROUP BY metric",
        "SELECT * FROM (PIVOT claims ON kind USING count(*) GROUP BY metric) WHERE metric IS NOT NULL",
        "PIVOT claims ON kind IN ('absolute', 'delta') USING count(*) GROUP BY metric",
        'PIVOT (SELECT kind AS "set", metric FROM claims) ON "set" USING count(*) GROUP BY metric',
    ],
)
def test_pivot_is_allowed(ro, sql):
    """PIVOT is a read: a dynamic one (ON values from the data) parses as a MULTI statement and used to be refused."""
    from tracker.store.safe_sql import run_user_sql

    df = run_user_sql(ro, sql)
    kinds = set(ro.execute("SELECT DISTINCT kind FROM claims").fetchall())
    assert "metric" in df.columns and len(df) == ro.execute("SELECT count(DISTINCT metric) FROM claims").fetchone()[0]
    assert {c for c in df.columns if c != "metric"} <= {k for (k,) in kinds}
    assert int(df.drop(columns="metric").sum().sum()) <= ro.execute("SELECT count(*) FROM claims").fetchone()[0]


def test_normal_select_works(ro):
    from tracker.store.safe_sql import run_user_sql

    df = run_user_sql(ro, "SELECT paper_id, title FROM papers ORDER BY paper_id")
    assert list(df.columns) == ["paper_id", "title"]
    assert list(df["paper_id"]) == ["good-001", "good-002", "good-003"]
    df = run_user_sql(ro, "SELECT metric, count(*) AS n FROM claims GROUP BY metric ORDER BY n DESC")
    assert df["n"].sum() > 0
    # a view and a trailing semicolon are fine
    assert len(run_user_sql(ro, "SELECT * FROM leaderboards;")) >= 0


def test_row_limit_truncates_and_says_so(ro):
    from tracker.store.safe_sql import run_user_sql

    df = run_user_sql(ro, "SELECT * FROM range(100000) t(i)", max_rows=100)
    assert len(df) == 100
    said = {k: v for k, v in df.attrs.items() if v}
    assert any("trunc" in str(k).lower() or "trunc" in str(v).lower() or "limit" in str(k).lower() for k, v in said.items()), (
        f"the result does not say it was truncated: attrs={df.attrs!r}"
    )
    small = run_user_sql(ro, "SELECT * FROM range(10) t(i)", max_rows=100)
    assert len(small) == 10
    assert not any("trunc" in str(k).lower() and v for k, v in small.attrs.items()), small.attrs


CLI_ESCAPES = [
    "SELECT * FROM read_csv('/etc/passwd')",
    f"COPY claims TO '{TMP}_claims.csv'",
    "SELECT 1; DROP TABLE claims",
    f"ATTACH '{TMP}_y.db' AS y",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "DELETE FROM claims",
    "SELECT * FROM '/etc/passwd'",
]


@pytest.mark.parametrize("sql", CLI_ESCAPES)
def test_cli_sql_refuses_with_one_line(sql_db, sql):
    proc = run_tracker("sql", sql, "--db", sql_db["db"], timeout=60)
    assert_one_line_error(proc, what=f"tracker sql {sql!r}")
    assert "root:" not in proc.stdout  # /etc/passwd content never printed


def test_cli_sql_positive_and_truncation(sql_db):
    proc = run_tracker("sql", "SELECT paper_id FROM papers ORDER BY 1", "--db", sql_db["db"], timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "good-002" in proc.stdout
    proc = run_tracker("sql", "SELECT * FROM range(20000) t(i)", "--db", sql_db["db"], timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "trunc" in (proc.stdout + proc.stderr).lower() or "first 10" in (proc.stdout + proc.stderr).lower(), (
        f"no truncation notice: {proc.stderr[-500:]!r} / {proc.stdout[-500:]!r}"
    )


def test_cli_sql_long_query_stopped_by_timeout(sql_db):
    t0 = time.monotonic()
    proc = run_tracker(
        "sql", "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r",
        "--db", sql_db["db"], "--timeout", "1", timeout=60,
    )  # fmt: skip
    line = assert_one_line_error(proc, what="tracker sql endless query --timeout 1")
    assert re.search(r"time|second|limit|stopped after|\d\s*s\b", line.lower()), line
    assert time.monotonic() - t0 < 20


def test_zz_database_unchanged_and_no_file_created(sql_db):
    """Defined last, so it runs after every attempt above (pytest keeps definition order)."""
    after = snapshot_in_subprocess(sql_db["db"])
    assert after == sql_db["before"], "the database changed after the escape attempts"
    created = [p for p in ESCAPE_PATHS if Path(p).exists()]
    assert not created, f"files created by user SQL: {created}"
    assert not list(Path("/tmp").glob(f"{TAG}*")), list(Path("/tmp").glob(f"{TAG}*"))
    assert not list(ROOT.glob(f"{TAG}*"))
