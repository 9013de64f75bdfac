"""Is a database's schema still the one claimtrack's store owns? Said exactly, object by object.

The store's SQL (sql/*.sql, the leaderboard rebuild, the loader) assumes its tables have their columns
and types, its views are its own, and that no macro but its own (same name, same definition) changes
what a function means: a `CREATE MACRO lower(x) ...` shadows the built-in for every later reader; `ALTER TABLE papers DROP COLUMN url` makes
every load fail on a binder error; `ALTER TABLE papers RENAME TO p` makes the next open create an empty
`papers` beside the old one. Two users of this module:

- every writable open (`Store`) compares the file with the reference (the schema the SQL files create
  in an empty in-memory database) and refuses a file whose tables were changed, with the statement
  that undoes each change;
- `tracker sql --write` runs the user's statements in a transaction and rolls them back when they add
  a difference (so a statement that repairs the schema is allowed).

Read-only catalog queries only; the names come from DuckDB's catalog, never from parsing SQL text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb

SQL_COLUMNS = (
    "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
    "WHERE database_name = ? AND schema_name = 'main' AND NOT internal ORDER BY table_name, column_index"
)
SQL_TABLES = "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'main' AND NOT internal"
SQL_VIEWS = "SELECT view_name, sql FROM duckdb_views() WHERE database_name = ? AND schema_name = 'main' AND NOT internal"
# Every macro of every attached database, the connection's temporary one included.
SQL_MACROS = (
    "SELECT DISTINCT database_name, function_name, coalesce(macro_definition, '') FROM duckdb_functions() "
    "WHERE NOT internal AND function_type IN ('macro', 'table_macro') ORDER BY ALL"
)
SQL_BUILTIN = "SELECT count(*) FROM duckdb_functions() WHERE internal AND lower(function_name) = lower(?)"
SQL_CURRENT_DATABASE = "SELECT current_database()"

Column = tuple[str, str, bool]  # name, type, nullable


@dataclass
class Catalog:
    """The objects of one database's `main` schema that matter to the store, plus every macro."""

    tables: dict[str, list[Column]] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)
    macros: list[tuple[str, str, str]] = field(default_factory=list)  # (database, name, definition)


def read_catalog(con: duckdb.DuckDBPyConnection, database: str | None = None) -> Catalog:
    db = database or con.execute(SQL_CURRENT_DATABASE).fetchall()[0][0]
    cat = Catalog()
    for (t,) in con.execute(SQL_TABLES, [db]).fetchall():
        cat.tables[t] = []
    for t, c, typ, nullable in con.execute(SQL_COLUMNS, [db]).fetchall():
        if t in cat.tables:
            cat.tables[t].append((c, typ, bool(nullable)))
    cat.views = {v: s for v, s in con.execute(SQL_VIEWS, [db]).fetchall()}
    cat.macros = read_macros(con)
    return cat


def read_macros(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str]]:
    """(database, name, definition) of every macro (all a read-only open checks: the catalog's other
    tables cost a read-only open more than the check is worth)."""
    return [(d, f, m) for d, f, m in con.execute(SQL_MACROS).fetchall()]


def reference_catalog(statements: list[str], *, macros_only: bool = False) -> Catalog:
    """The schema the store's SQL creates in an empty database."""
    con = duckdb.connect(":memory:")
    try:
        for stmt in statements:
            con.execute(stmt)
        return Catalog(macros=read_macros(con)) if macros_only else read_catalog(con)
    finally:
        con.close()


def _cols(cols: list[Column]) -> str:
    return ", ".join(f"{c} {t}" for c, t, _ in cols)


def table_problems(cat: Catalog, ref: Catalog, names: list[str]) -> list[str]:
    """Differences of the tables `names` (each of ref) from the reference, each with the statement that undoes it."""
    out: list[str] = []
    for name in names:
        want = ref.tables[name]
        if name not in cat.tables:
            if name in cat.views:
                out.append(f"{name} is a view, claimtrack's is a table")
                continue
            same = sorted(t for t, cols in cat.tables.items() if t not in ref.tables and cols == want)
            hint = f" (renamed? `ALTER TABLE {same[0]} RENAME TO {name}`)" if same else ""
            out.append(f"table {name} is missing{hint}")
            continue
        have = {c: (t, n) for c, t, n in cat.tables[name]}
        for c, t, n in want:
            if c not in have:
                out.append(f"table {name}: column {c} {t} is missing (`ALTER TABLE {name} ADD COLUMN {c} {t}`)")
            elif have[c][0] != t:
                out.append(f"table {name}: column {c} is {have[c][0]}, claimtrack's is {t} (`ALTER TABLE {name} ALTER {c} TYPE {t}`)")
            elif have[c][1] and not n:
                out.append(f"table {name}: column {c} may be NULL, claimtrack's is NOT NULL (`ALTER TABLE {name} ALTER {c} SET NOT NULL`)")
            elif n and not have[c][1]:
                out.append(f"table {name}: column {c} is NOT NULL, claimtrack's may be NULL (`ALTER TABLE {name} ALTER {c} DROP NOT NULL`)")
        known = {c for c, _, _ in want}
        for c, t, _ in cat.tables[name]:
            if c not in known:
                out.append(f"table {name}: column {c} {t} is not claimtrack's (`ALTER TABLE {name} DROP COLUMN {c}`)")
    return out


def view_problems(cat: Catalog, ref: Catalog) -> list[str]:
    out: list[str] = []
    for name, sql in ref.views.items():
        if name in cat.tables:
            out.append(f"{name} is a table, claimtrack's is a view")
        elif name not in cat.views:
            out.append(f"view {name} is missing")
        elif cat.views[name] != sql:
            out.append(f"view {name} is not claimtrack's (it was replaced)")
    return out


def macro_problems(con: duckdb.DuckDBPyConnection, cat: Catalog, ref: Catalog) -> list[str]:
    """Every macro but the store's own (sql/pwc_tables.sql), defined as the store defines it, is a
    problem: one can change what the store's SQL computes."""
    own = {name: definition for _, name, definition in ref.macros}
    out: list[str] = []
    for db, name, definition in cat.macros:
        label = f"temporary macro {name}" if db == "temp" else f"macro {name}"
        if db != "temp" and own.get(name) == definition:
            continue
        if name in own:
            out.append(f"{label} is not claimtrack's (it was replaced: `DROP MACRO {name}`, and the next `tracker load` defines it again)")
        elif con.execute(SQL_BUILTIN, [name]).fetchall()[0][0]:
            out.append(f"{label} shadows the built-in function {name}() for every query and for claimtrack's own SQL (`DROP MACRO {name}`)")
        else:
            out.append(f"{label} is not claimtrack's: a macro can change what the store's SQL computes, so none is allowed (`DROP MACRO {name}`)")
    return out


def store_problems(con: duckdb.DuckDBPyConnection, ref: Catalog, *, database: str | None = None) -> list[str]:
    """Every difference from the reference: tables, views and macros (what `tracker sql --write` compares)."""
    cat = read_catalog(con, database)
    return [*table_problems(cat, ref, sorted(ref.tables)), *view_problems(cat, ref), *macro_problems(con, cat, ref)]
