"""Run one SQL statement a user typed, safely, on a connection from `connect_readonly`.

Three layers: (1) only read statements pass the statement-type check below (SELECT, and EXPLAIN /
DESCRIBE / SHOW / SUMMARIZE / read-only PRAGMAs); (2) the connection is read-only, so a write that got
past (1) still fails; (3) the connection has `enable_external_access=false` and a locked
configuration, so table functions that reach outside the database (read_csv, read_text, glob,
httpfs, ...) fail and no statement can switch that back on. A timer interrupts long queries, and at
most `max_rows` rows are fetched.

A dynamic PIVOT (`PIVOT t ON col USING ...`, the ON values taken from the data) is parsed by DuckDB as a
MULTI statement (it first collects the values), so its type says nothing: it passes when its text, outside
strings, quoted names and comments, starts like a read and names no write or administration keyword.

An interrupt is only a request: some DuckDB operators never check it, and memory they allocate is not
all under DuckDB's `memory_limit`. `sandbox.run_readonly_sql` runs this in a child process that a
watchdog kills, with its address space capped; that is what `tracker sql` and the dashboard use.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # pandas is imported when a frame is built: the SQL child (sandbox.py) never needs it
    import pandas as pd

# PRAGMAs that only read (others change settings and are refused).
READ_PRAGMAS = frozenset({
    "table_info", "show", "show_tables", "show_tables_expanded", "database_size", "storage_info",
    "version", "platform", "database_list", "functions", "collations", "metadata_info", "user_agent",
})  # fmt: skip
_PRAGMA_NAME = re.compile(r"^\s*pragma\s+([a-z_][a-z0-9_]*)", re.IGNORECASE)
_EXPLAIN = re.compile(r"^\s*explain\s+(?:analy[sz]e\s+)?(?:\([^)]*\)\s*)?", re.IGNORECASE)
# Tokens of a statement for the MULTI (dynamic PIVOT) check: strings, quoted names, comments, words.
_TOKEN = re.compile(
    r"'(?:[^']|'')*'?|\"(?:[^\"]|\"\")*\"?|--[^\n]*|/\*.*?(?:\*/|$)|\$([A-Za-z_]*)\$.*?(?:\$\1\$|$)|([A-Za-z_][A-Za-z0-9_]*)",
    re.DOTALL,
)
_READ_STARTS = frozenset({"select", "from", "with", "pivot", "pivot_wider", "unpivot", "pivot_longer", "values",
                          "table", "explain", "describe", "summarize", "show"})  # fmt: skip
_WRITE_WORDS = frozenset({
    "insert", "update", "delete", "create", "copy", "drop", "alter", "attach", "detach", "prepare", "execute",
    "set", "reset", "call", "pragma", "export", "import", "install", "load", "vacuum", "checkpoint", "use",
    "merge", "truncate", "begin", "commit", "rollback", "abort", "returning",
})  # fmt: skip


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
    if kind == "MULTI":  # a dynamic PIVOT (see the module docstring)
        _check_pivot(sql)
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


def _check_pivot(sql: str) -> None:
    """A MULTI statement passes when it reads like a (PIVOT) query: see the module docstring."""
    words = [m.group(2).lower() for m in _TOKEN.finditer(sql) if m.group(2)]
    if not words or words[0] not in _READ_STARTS:
        raise UnsafeSQLError("only read queries (SELECT, PIVOT, EXPLAIN, DESCRIBE, SHOW) are allowed here")
    bad = sorted(set(words) & _WRITE_WORDS)
    if bad:
        raise UnsafeSQLError(
            f"a PIVOT query may only read: it names {', '.join(w.upper() for w in bad)} "
            f'(a column of that name must be quoted: "{bad[0]}")'
        )


def _translate(e: duckdb.Error) -> SQLError:
    msg = _one_line(e)
    if isinstance(e, duckdb.OutOfMemoryException):
        return SQLError(f"{msg} (the memory limit is set by --memory-limit or CLAIMTRACK_SQL_MEMORY)")
    if isinstance(e, duckdb.PermissionException) or "disabled by configuration" in msg:
        return UnsafeSQLError(f"file and network access is disabled for queries ({msg})")
    if "configuration has been locked" in msg:
        return UnsafeSQLError(f"settings cannot be changed in a read-only session ({msg})")
    if "read-only mode" in msg:
        return UnsafeSQLError(f"the database is open read-only ({msg})")
    return SQLError(msg)


def _frame(rows: list[tuple], names: list[str]) -> pd.DataFrame:
    """Rows as a DataFrame that keeps NULLs as None (no int -> float NaN) and types columns without NULLs."""
    import pandas as pd

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


def result_frame(names: list[str] | None, rows: list[tuple], truncated: bool, max_rows: int) -> pd.DataFrame:
    """What `run_user_sql` returns, from what `execute_user_sql` fetched."""
    import pandas as pd

    df = pd.DataFrame() if names is None else _frame(rows, names)
    df.attrs["truncated"] = truncated
    df.attrs["max_rows"] = max_rows
    return df


def execute_user_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    allow_writes: bool = False,
) -> tuple[list[str] | None, list[tuple], bool]:
    """(column names or None for a statement without a result, at most `max_rows` rows, truncated).

    `allow_writes=True` (only for a normal, writable connection: `tracker sql --write`) skips the
    statement-type check.
    """
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
    names: list[str] | None = None
    rows: list[tuple[Any, ...]] = []
    truncated = False
    try:
        cur = con.execute(sql)
        if cur.description is not None:
            rows = cur.fetchmany(max_rows + 1)
            truncated = len(rows) > max_rows
            del rows[max_rows:]
            names = [d[0] for d in cur.description]
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
    return names, rows, truncated


def run_user_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    allow_writes: bool = False,
) -> pd.DataFrame:
    """The result of one statement as a DataFrame of at most `max_rows` rows, in this process.

    `df.attrs["truncated"]` is True when there were more rows. The timeout here is an interrupt (see the
    module docstring); `sandbox.run_readonly_sql` is the variant whose limits always hold.
    """
    names, rows, truncated = execute_user_sql(con, sql, timeout_s=timeout_s, max_rows=max_rows, allow_writes=allow_writes)
    return result_frame(names, rows, truncated, max_rows)
