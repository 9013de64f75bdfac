"""User SQL on a read-only connection: reads pass, writes, file/network access and settings do not."""

from __future__ import annotations

import time

import pytest

from tests.store.conftest import board
from tracker.store.safe_sql import QueryTimeoutError, SQLError, UnsafeSQLError, run_user_sql
from tracker.store.store import connect_readonly


@pytest.fixture
def ro(db):
    board(db, "top1_accuracy", [("A", 81.5, "%", "2021-01-01"), ("B", 83.3, "%", "2022-01-01")])
    con = connect_readonly(db)
    yield con
    con.close()


@pytest.mark.parametrize(
    "sql, message",
    [
        ("SELECT * FROM read_csv('/etc/passwd')", "file and network access is disabled"),
        ("SELECT * FROM read_text('/etc/hostname')", "file and network access is disabled"),
        ("SELECT * FROM '/etc/passwd'", "does not exist"),  # no replacement scans of files either
        ("SELECT * FROM glob('/etc/*')", "file and network access is disabled"),
        ("SELECT * FROM read_parquet('https://example.com/x.parquet')", "file and network access is disabled"),
        ("COPY claims TO '/tmp/claimtrack-leak.csv'", "not COPY"),
        ("COPY (SELECT 1) TO '/tmp/claimtrack-leak.csv'", "not COPY"),
        ("ATTACH '/tmp/claimtrack-other.duckdb' AS o", "not ATTACH"),
        ("INSTALL httpfs", "not LOAD"),
        ("LOAD httpfs", "not LOAD"),
        ("SET enable_external_access = true", "not SET"),
        ("RESET lock_configuration", "not SET"),
        ("PRAGMA enable_profiling", "read-only PRAGMAs"),
        ("CALL pragma_version()", "not CALL"),
        ("DELETE FROM claims", "not DELETE"),
        ("INSERT INTO papers (paper_id) VALUES ('x')", "not INSERT"),
        ("UPDATE claims SET value = 0", "not UPDATE"),
        ("DROP TABLE claims", "not DROP"),
        ("CREATE TABLE t AS SELECT 1", "not CREATE"),
        ("EXPORT DATABASE '/tmp/claimtrack-export'", "not EXPORT"),
        ("SELECT 1; DROP TABLE claims", "one statement at a time"),
        ("EXPLAIN ANALYZE CREATE TEMP TABLE t AS SELECT * FROM claims", "EXPLAIN is allowed for SELECT"),
        ("CREATE TEMP TABLE t AS SELECT 1", "not CREATE"),
    ],
)
def test_refused(ro, sql, message):
    with pytest.raises(SQLError, match=message) as e:
        run_user_sql(ro, sql)
    assert isinstance(e.value, UnsafeSQLError) or "does not exist" in message
    assert "\n" not in str(e.value)
    assert run_user_sql(ro, "SELECT count(*) AS n FROM claims")["n"].tolist() == [2]


@pytest.mark.parametrize(
    "sql, rows",
    [
        ("SELECT model FROM leaderboard ORDER BY rank", [["B"], ["A"]]),
        ("WITH x AS (SELECT 1 AS a) SELECT a FROM x", [[1]]),
        ("FROM papers SELECT count(*)", [[2]]),
        ("VALUES (1, 'a')", [[1, "a"]]),
    ],
)
def test_reads(ro, sql, rows):
    assert run_user_sql(ro, sql).values.tolist() == rows


@pytest.mark.parametrize("sql", ["DESCRIBE claims", "SHOW TABLES", "PRAGMA table_info('claims')", "EXPLAIN SELECT 1", "SUMMARIZE papers"])
def test_metadata_reads(ro, sql):
    assert len(run_user_sql(ro, sql)) > 0


def test_nulls_stay_none(ro):
    df = run_user_sql(ro, "SELECT 1 AS a, NULL::INT AS b UNION ALL SELECT 2, 3 ORDER BY a")
    assert df.values.tolist() == [[1, None], [2, 3]]


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT * FROM nope", ""])
def test_user_errors_are_one_line(ro, sql):
    with pytest.raises(SQLError) as e:
        run_user_sql(ro, sql)
    assert "\n" not in str(e.value)


def test_max_rows(ro):
    df = run_user_sql(ro, "SELECT * FROM range(100)", max_rows=10)
    assert len(df) == 10 and df.attrs["truncated"] is True
    assert run_user_sql(ro, "SELECT * FROM range(10)", max_rows=10).attrs["truncated"] is False


def test_timeout(ro):
    t0 = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match=r"query stopped after 0.5 s"):
        run_user_sql(ro, "SELECT count(*) FROM range(1000000000000) a, range(10) b", timeout_s=0.5)
    assert time.perf_counter() - t0 < 10
    assert run_user_sql(ro, "SELECT 1 AS x")["x"].tolist() == [1]  # the connection still works
