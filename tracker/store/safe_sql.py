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

import contextlib
import re
import threading
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # imported where used: the SQL child (sandbox.py) never builds a frame or a WriteResult
    import pandas as pd
    import pyarrow as pa

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


def _statements(con: duckdb.DuckDBPyConnection, sql: str) -> list[Any]:
    """The parsed statements of `sql`; SQLError (one line) when it does not parse or holds none."""
    try:
        statements = con.extract_statements(sql)
    except duckdb.Error as e:
        raise SQLError(_one_line(e)) from None
    if not statements:
        raise SQLError("empty query")
    return statements


def check_statement(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    """Raise UnsafeSQLError unless `sql` is exactly one read statement."""
    statements = _statements(con, sql)
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
    """What `run_user_sql` returns, from rows fetched elsewhere (the SQL child: sandbox.py)."""
    import pandas as pd

    df = pd.DataFrame() if names is None else _frame(rows, names)
    df.attrs["truncated"] = truncated
    df.attrs["max_rows"] = max_rows
    return df


SQL_REVIEW_DIGEST = "SELECT review_id, hash(r) FROM reviews r"


def _review_digest(con: duckdb.DuckDBPyConnection) -> dict[str, int] | None:
    """review_id -> hash of its row (None without a reviews table): what a write did to the reviews."""
    try:
        return dict(con.execute(SQL_REVIEW_DIGEST).fetchall())
    except duckdb.Error:
        return None


class WriteResult:
    """The committed result of `tracker sql --write`, read like a cursor (`description`, `fetchmany`).

    The last statement's rows are read before the write guard's catalog queries and the COMMIT (either
    would replace the connection's pending result), so they are held in Arrow and served from an
    in-memory connection. `reviews_changed` counts the reviews the write deleted, added and changed;
    `wrote` is False when every statement was a SELECT."""

    def __init__(self, table: pa.Table | None, reviews_changed: dict[str, int], wrote: bool) -> None:
        self.reviews_changed, self.wrote = reviews_changed, wrote
        self._con = duckdb.connect(":memory:")
        self.description = None
        if table is not None:
            self._con.register("_result", table)
            self._con.execute("SELECT * FROM _result")
            self.description = self._con.description

    def fetchmany(self, n: int) -> list[tuple]:
        return self._con.fetchmany(n) if self.description is not None else []


def _arrow(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """The pending result as an Arrow table (DuckDB 2 renamed fetch_arrow_table to to_arrow_table)."""
    fetch = getattr(con, "to_arrow_table", None) or con.fetch_arrow_table
    with warnings.catch_warnings():  # DuckDB 2 warns that a DB-API result is copied once: that is intended here
        warnings.simplefilter("ignore", UserWarning)
        return fetch()


def _execute_writes(con: duckdb.DuckDBPyConnection, sql: str) -> WriteResult:
    """Run every statement of `sql` in ONE transaction, then compare the store's schema with what it was:
    a statement that changes a store table or view, or defines a macro, is rolled back and refused (a
    statement that repairs a difference is allowed). The store's objects are read from DuckDB's catalog
    (schema_check), never parsed out of the SQL text, so quoting or qualification cannot hide a change."""
    from tracker.store import schema_check
    from tracker.store.store import reference_catalog

    statements = _statements(con, sql)
    if any(st.type.name == "TRANSACTION" for st in statements):
        raise UnsafeSQLError("no BEGIN/COMMIT/ROLLBACK: every `tracker sql --write` runs in one transaction of its own")
    ref = reference_catalog()
    database = con.execute(schema_check.SQL_CURRENT_DATABASE).fetchall()[0][0]
    before = set(schema_check.store_problems(con, ref, database=database))
    reviews_before = _review_digest(con)
    con.execute("BEGIN TRANSACTION")
    try:
        for st in statements:
            con.execute(st)
        table = _arrow(con) if con.description is not None else None
        added = [p for p in schema_check.store_problems(con, ref, database=database) if p not in before]
        if added:
            added = [re.sub(r" \((?:renamed\? )?`[^`]*`\)", "", p) for p in added]  # nothing to undo: rolled back
            raise UnsafeSQLError(
                f"refused, nothing was changed: the statement changes the schema claimtrack's store owns: {'; '.join(added)}"
            )
        reviews_after = _review_digest(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    changes = {"deleted": 0, "added": 0, "changed": 0}
    if reviews_before is not None and reviews_after is not None:
        changes["deleted"] = len(reviews_before.keys() - reviews_after.keys())
        changes["added"] = len(reviews_after.keys() - reviews_before.keys())
        changes["changed"] = sum(1 for k, h in reviews_after.items() if k in reviews_before and reviews_before[k] != h)
    # DuckDB answers a write with a result too (INSERT/UPDATE/DELETE: a `Count` row, DROP: `Success`), so
    # whether it wrote is told by the statements' types, not by the description.
    return WriteResult(table, changes, wrote=any(st.type.name != "SELECT" for st in statements))


@contextlib.contextmanager
def user_query(
    con: duckdb.DuckDBPyConnection, sql: str, *, timeout_s: float = 10.0, allow_writes: bool = False
) -> Iterator[duckdb.DuckDBPyConnection | WriteResult]:
    """The checked, running statement: fetch from the yielded cursor inside the block (in batches, to stream).

    The time limit covers the query and every fetch made in the block; a DuckDB error raised by a fetch
    is translated like one raised by the query. `allow_writes=True` (only for a normal, writable
    connection: `tracker sql --write`) allows any statements that leave the store's schema as it was
    (see _execute_writes) and yields a WriteResult; the caller then rebuilds the materialised
    leaderboards on a fresh connection (`store.finish_admin_write`)."""
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
        yield _execute_writes(con, sql) if allow_writes else con.execute(sql)
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


def run_user_sql(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    *,
    timeout_s: float = 10.0,
    max_rows: int = 10_000,
    allow_writes: bool = False,
) -> pd.DataFrame:
    """The result of one statement as a DataFrame of at most `max_rows` rows (see `user_query`).

    `df.attrs["truncated"]` is True when there were more rows; after a write, `df.attrs["reviews_changed"]`
    and `df.attrs["wrote"]` are the WriteResult's."""
    names, rows = None, []
    with user_query(con, sql, timeout_s=timeout_s, allow_writes=allow_writes) as cur:
        if cur.description is not None:
            names = [d[0] for d in cur.description]
            rows = cur.fetchmany(max_rows + 1)
    df = result_frame(names, rows[:max_rows], len(rows) > max_rows, max_rows)
    if isinstance(cur, WriteResult):
        df.attrs["reviews_changed"] = cur.reviews_changed
        df.attrs["wrote"] = cur.wrote
    return df
