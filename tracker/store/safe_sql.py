"""Run one SQL statement a user typed, safely, on a connection from `connect_readonly`.

Three layers: (1) only read statements pass the statement-type check below (SELECT, and EXPLAIN /
DESCRIBE / SHOW / SUMMARIZE / read-only PRAGMAs); (2) the connection is read-only, so a write that got
past (1) still fails; (3) the connection has `enable_external_access=false` and a locked
configuration, so table functions that reach outside the database (read_csv, read_text, glob,
httpfs, ...) fail and no statement can switch that back on. A timer interrupts long queries, and at
most `max_rows` rows are fetched.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator

import duckdb
import pandas as pd

# PRAGMAs that only read (others change settings and are refused).
READ_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "database_size", "storage_info",
    "version", "platform", "database_list", "functions", "collations", "metadata_info", "user_agent",
})  # fmt: skip
_PRAGMA_NAME = re.compile(r"^\s*pragma\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.IGNORECASE)


class SQLError(ValueError):
    """A user query that failed; one line naming the problem."""


class UnsafeSQLError(SQLError):
    """A statement that is not a read, or that tried to reach files, the network or the configuration."""


class QueryTimeoutError(SQLError):
    """The query ran longer than its time limit and was interrupted."""


def _one_line(e: BaseException) -> str:
    first = str(e).strip().split("\n")[0]
    return " ".join(first.split())


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise UnsafeSQLError unless `sql` is exactly one read statement."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise SQLError(_one_line(e)) from None
    if not statements:
        raise SQLError("empty query")
    if len(statements) > 1:
        raise UnsafeSQLError(f"one statement at a time, got {len(statements)}")
    st = statements[0]
    kind = st.type.name
    if kind == "SELECT":
        return
    if kind == "EXPLAIN":  # EXPLAIN ANALYZE runs its statement: that one must be a read too
        m = _EXPLAIN.match(sql)
        inner = sql[m.end():] if m else ""
        try:
            inner_types = [st.type.name for st in con.extract_statements(inner)] if inner.strip() else []
        except duckdb.Error:
            inner_types = []
        if inner_types == ["SELECT"]:
            return
        raise UnsafeSQLError("EXPLAIN is allowed for SELECT queries only")
    if kind == "PRAGMA":
        m = _PRAGMA_NAME.match(sql)
        if m and m.group(1).lower() in READ_PRAGMAS:
            return
        raise UnsafeSQLError("only read-only PRAGMAs (table_info, show_tables, database_size, ...) are allowed")
    raise UnsafeSQLError(
        f"only read queries (SELECT, EXPLAIN, DESCRIBE, SHOW) are allowed here, not {kind}; "
        "use `tracker sql --write` for administration"
    )


def _translate(e: duckdb.Error) -> SQLError:
    msg = _one_line(e)
    if isinstance(e, duckdb.PermissionException) or "disabled by configuration" in msg:
        return UnsafeSQLError(f"file and network access is disabled for queries ({msg})")
    if "configuration has been locked" in msg:
        return UnsafeSQLError(f"settings cannot be changed in a read-only session ({msg})")
    if "read-only mode" in msg:
        return UnsafeSQLError(f"the database is open read-only ({msg})")
    return SQLError(msg)


def _frame(rows: list[tuple], names: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame that keeps NULLs as None (no int -> float NaN) and types columns without NULLs."""
    if not rows:
        return pd.DataFrame(columns=names)
    raw = pd.DataFrame(rows, dtype=object)
    cols = []
    for i in range(len(names)):
        col = raw.iloc[:, i]
        cols.append(col.infer_objects() if col.notna().all() else col)
    df = pd.concat(cols, axis=1)
    df.columns = names
    return df


@contextlib.contextmanager
def user_query(
    con: duckdb.DuckDBPyConnection, sql: str, *, timeout_s: float = 10.0, allow_writes: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The checked, running statement: fetch from the yielded cursor inside the block (in batches, to stream).

    The time limit covers the query and every fetch made in the block; a DuckDB error raised by a fetch
    is translated like one raised by the query. `allow_writes=True` (only for a normal, writable
    connection: `tracker sql --write`) skips the statement-type check."""
    if not allow_writes:
        check_statement(con, sql)
    timed_out = threading.Event()

    def _stop() -> None:
        timed_out.set()
        con.interrupt()

    timer = threading.Timer(timeout_s, _stop) if timeout_s and timeout_s > 0 else None
    if timer:
        timer.daemon = True
        timer.start()
    try:
        yield con.execute(sql)
    except duckdb.InterruptException:
        if timed_out.is_set():
            raise QueryTimeoutError(f"query stopped after {timeout_s:g} s") from None
        raise SQLError("query interrupted") from None
    except duckdb.Error as e:
        if timed_out.is_set():
            raise QueryTimeoutError(f"query stopped after {timeout_s:g} s") from None
        raise _translate(e) from None
    finally:
        if timer:
            timer.cancel()
    # DuckDB answers a write with a result too (INSERT/UPDATE/DELETE: a `Count` row, DROP: `Success`), so
    # whether it wrote is told by the statement's type, not by `cur.description`.
    if allow_writes and [st.type.name for st in con.extract_statements(sql)] != ["SELECT"]:
        # A write (`tracker sql --write`) may have changed claims, papers, reviews or metrics behind the
        # materialised leaderboards: rebuild them all (lazy import: store imports this module's package).
        from tracker.store.store import rebuild_leaderboards

        try:
            rebuild_leaderboards(con)
        except duckdb.Error:
            pass  # not a claimtrack database (or the tables are missing): nothing to rebuild


def run_user_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    allow_writes: bool = False,
) -> pd.DataFrame:
    """The result of one statement as a DataFrame of at most `max_rows` rows (see `user_query`).

    `df.attrs["truncated"]` is True when there were more rows."""
    truncated = False
    with user_query(con, sql, timeout_s=timeout_s, allow_writes=allow_writes) as cur:
        if cur.description is None:
            df = pd.DataFrame()
        else:
            rows = cur.fetchmany(max_rows + 1)
            truncated = len(rows) > max_rows
            df = _frame(rows[:max_rows], [d[0] for d in cur.description])
    df.attrs["truncated"] = truncated
    df.attrs["max_rows"] = max_rows
    return df
