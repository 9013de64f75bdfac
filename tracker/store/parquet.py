"""Querying an extracted directory's Parquet in place: `tracker sql "..." --db OUT_DIR`.

`connect_extracted(dir)` opens an in-memory DuckDB whose views `papers` and `claims` read the
directory's Parquet parts (`read_parquet` over `papers/*.parquet` and `claims/*.parquet`), with file
access allowed to that directory only, then disabled for everything else and the configuration
locked, so user SQL (through safe_sql) can read the parts and nothing else. The leaderboard views
need a database: `tracker load OUT_DIR --db DB` first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from tracker.extracted import MANIFEST, partitions

SQL_ALLOW = "SET allowed_directories = ?"
SQL_VIEW = "CREATE VIEW {name} AS SELECT * FROM read_parquet({files})"


def is_extracted_dir(path: str | Path) -> bool:
    p = Path(path)
    return p.is_dir() and (p / MANIFEST).is_file()


def connect_extracted(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A connection whose `papers` and `claims` views are the directory's Parquet parts."""
    root = Path(path).resolve()
    parts = partitions(root)  # checks the manifest and that every part is there
    con = duckdb.connect()
    try:
        con.execute(SQL_ALLOW, [[str(root) + "/"]])
        con.execute("SET enable_external_access = false")
        for name, files in (("papers", [p.papers_file for p in parts]), ("claims", [p.claims_file for p in parts])):
            listed = "[" + ", ".join("'" + str(f).replace("'", "''") + "'" for f in files) + "]"
            con.execute(SQL_VIEW.format(name=name, files=listed if files else "[]"))
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
