"""The DuckDB store: schema, connections and the batched writes of papers and claims.

One database file holds everything. `Store(path)` opens it for writing (creating the schema when the
file is new); `connect_readonly(path)` opens it for the CLI's queries and the dashboard with file and
network access disabled and the configuration locked. All SQL lives in `sql/*.sql` or in the named
constants of this module and `queries.py`.

Writes are batched: a batch of papers and its claims is handed over as Arrow tables and inserted with
one `INSERT ... SELECT` each, never row by row. The caller wraps all batches of one input file in
`Store.transaction()`, so a file is loaded completely or not at all.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from tracker.models import Claim, Paper
from tracker.store.locks import Holder, holder_of, is_lock_error, lock_wait_s, retry_while_locked
from tracker.store import schema_check
from tracker.reviews import (
    Deletion, JournalScan, Review, ReviewError, append_journal, journal_path, scan_journal, unique_reviews, warn,
)
from tracker.store.limits import SQLLimits
from tracker.vocab import Vocab

# 2: the reviews table and views (a claimtrack that knows only 1 would ignore reviews, so it must refuse).
SCHEMA_VERSION = 2
APP = "claimtrack"
# Applied in this order on every writable open (views.sql's claims_effective reads reviews.sql's views).
SQL_FILES: tuple[str, ...] = ("schema.sql", "pwc_tables.sql", "reviews.sql", "views.sql", "pwc_views.sql")
# Tables and views a user may query (documented in docs/schema.md and queries.COLUMN_DOCS).
TABLES = (
    "papers", "claims", "metrics", "datasets", "tasks", "units", "schema_version", "reviews", "leaderboards",
    "loaded_files",
)  # fmt: skip
VIEWS = (
    "claims_effective", "leaderboard_claims", "leaderboard", "leaderboard_own", "claim_comparators",
    "claims_reviewable", "review_resolution", "claim_reviews",
)  # fmt: skip
# Materialised from the views (rebuilt inside every write transaction for the datasets it touched).
MATERIALISED = ("leaderboard_best", "leaderboard_merged", "leaderboard_points", "leaderboards")
# A load stages its rows here, committed batch by batch (flat memory), and publishes them in one transaction.
STAGING = ("_staging_papers", "_staging_claims", "_staging_replace", "_staging_seen")

# value_si = value * scale: sizes in units, times in seconds, memory in bytes; %, x, fps, dB and
# no unit are left as written. This makes 21.5M and 1.1B (params) or 1.6 ms and 0.2 s comparable.
UNIT_SCALE: dict[str, float] = {
    "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12,
    "ms": 1e-3, "us": 1e-6, "s": 1.0, "min": 60.0, "h": 3600.0,
    "MB": 1e6, "GB": 1e9, "TB": 1e12,
    "%": 1.0, "x": 1.0, "fps": 1.0, "dB": 1.0,
}  # fmt: skip

PAPER_COLUMNS = (
    "paper_id", "title", "abstract", "published", "authors", "url", "source", "categories",
    "content_hash", "extractor_version", "vocab_hash", "loaded_at",
)  # fmt: skip
CLAIM_COLUMNS = (
    "claim_id", "paper_id", "quote", "start_offset", "end_offset", "value", "value_si", "unit",
    "metric", "kind", "model", "dataset", "task", "comparator", "direction", "conditions",
    "qualifier", "required", "extractor_version",
)  # fmt: skip

PAPER_SCHEMA = pa.schema([
    ("paper_id", pa.string()), ("title", pa.string()), ("abstract", pa.string()),
    ("published", pa.date32()), ("authors", pa.list_(pa.string())), ("url", pa.string()),
    ("source", pa.string()), ("categories", pa.list_(pa.string())), ("content_hash", pa.string()),
    ("extractor_version", pa.string()), ("vocab_hash", pa.string()), ("loaded_at", pa.timestamp("us")),
])  # fmt: skip
CLAIM_SCHEMA = pa.schema([
    ("claim_id", pa.string()), ("paper_id", pa.string()), ("quote", pa.string()),
    ("start_offset", pa.int32()), ("end_offset", pa.int32()), ("value", pa.float64()),
    ("value_si", pa.float64()), ("unit", pa.string()), ("metric", pa.string()), ("kind", pa.string()),
    ("model", pa.string()), ("dataset", pa.string()), ("task", pa.string()), ("comparator", pa.string()),
    ("direction", pa.string()), ("conditions", pa.string()), ("qualifier", pa.string()),
    ("required", pa.bool_()), ("extractor_version", pa.string()),
])  # fmt: skip
IDS_SCHEMA = pa.schema([("paper_id", pa.string())])
REVIEW_SCHEMA = pa.schema([
    ("review_id", pa.string()), ("seq", pa.int64()), ("paper_id", pa.string()), ("action", pa.string()),
    ("anchor_claim_id", pa.string()), ("anchor_value", pa.float64()), ("anchor_metric", pa.string()),
    ("anchor_kind", pa.string()), ("anchor_start", pa.int32()), ("anchor_end", pa.int32()),
    ("anchor_quote", pa.string()), ("changes", pa.string()), ("claim", pa.string()), ("note", pa.string()),
    ("reviewer", pa.string()), ("created_at", pa.timestamp("us")), ("body", pa.string()),
])  # fmt: skip

# --- named statements (user values are always bound or passed as registered Arrow tables) ---
SQL_SCHEMA_VERSION = "SELECT max(version) FROM schema_version WHERE app = ?"
SQL_INSERT_SCHEMA_VERSION = "INSERT INTO schema_version (app, version) VALUES (?, ?)"
SQL_USER_TABLES = "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'"
SQL_HAS_VERSION_TABLE = (
    "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
    "AND schema_name = 'main' AND table_name = 'schema_version'"
)
SQL_EXISTING = (
    "SELECT p.paper_id, p.content_hash, p.extractor_version, p.vocab_hash "
    "FROM papers p JOIN _batch_ids b ON b.paper_id = p.paper_id"
)
SQL_DELETE_CLAIMS = "DELETE FROM claims WHERE paper_id IN (SELECT paper_id FROM _replace_ids)"
SQL_DELETE_PAPERS = "DELETE FROM papers WHERE paper_id IN (SELECT paper_id FROM _replace_ids)"
SQL_INSERT_PAPERS = "INSERT INTO papers BY NAME SELECT * FROM _batch_papers"
SQL_INSERT_CLAIMS = "INSERT INTO claims BY NAME SELECT * FROM _batch_claims"
# Vocabulary upserts touch only what differs (the vocabulary has ~17,000 entries; INSERT OR REPLACE of all of
# them takes seconds): new names are inserted, changed rows replaced, identical rows left alone.
_VOCAB_UPSERT = (
    "INSERT INTO {t} BY NAME SELECT * FROM _vocab_{t} WHERE {k} NOT IN (SELECT {k} FROM {t})",
    "INSERT OR REPLACE INTO {t} BY NAME SELECT * FROM _vocab_{t} WHERE {k} IN "
    "(SELECT {k} FROM (SELECT {cols} FROM _vocab_{t} EXCEPT SELECT {cols} FROM {t}))",
)
SQL_VOCAB_ANY = "SELECT 1 FROM {t} LIMIT 1"
# table column -> Vocab entry attribute, where they differ
_VOCAB_ATTR = {"direction_source": "direction", "metric_group": "group", "value_range": "range", "context_aliases": "context",
               "sources": "source"}  # fmt: skip
_VOCAB_COLUMNS = {
    "metrics": ("metric", "higher_is_better", "family", "unit", "aliases", "direction_source", "metric_group", "value_range",
                "variants", "context_aliases", "sources"),
    "datasets": ("dataset", "task", "metric", "aliases", "tasks", "metrics", "conditions", "context_aliases", "sources"),
    "tasks": ("task", "aliases", "label", "area", "parent", "report_as", "categories", "metrics", "context_aliases", "sources"),
}  # fmt: skip
SQL_UPSERT_METRICS, SQL_UPSERT_DATASETS, SQL_UPSERT_TASKS = (
    tuple(q.format(t=t, k=cols[0], cols=", ".join(cols)) for q in _VOCAB_UPSERT) for t, cols in _VOCAB_COLUMNS.items()
)
SQL_UPSERT_UNIT = "INSERT OR REPLACE INTO units (unit, scale) VALUES (?, ?)"
# Metrics found in claims but not in any vocabulary: a score, higher is better (Vocab's default).
SQL_ADD_UNKNOWN_METRICS = """
INSERT INTO metrics (metric, higher_is_better, family, unit, aliases)
SELECT DISTINCT c.metric, true, 'other', NULL, []::VARCHAR[]
FROM claims c
WHERE NOT EXISTS (SELECT 1 FROM metrics m WHERE m.metric = c.metric)
"""
SQL_COUNT_CLAIMS_OF = "SELECT count(*) FROM claims WHERE paper_id IN (SELECT paper_id FROM _batch_ids)"
SQL_REVIEW_IDS = "SELECT review_id FROM reviews"
SQL_REVIEW_PAPERS = "SELECT review_id, paper_id FROM reviews"
SQL_PAPERS_OF_REVIEWS = "SELECT DISTINCT paper_id FROM reviews WHERE review_id IN (SELECT review_id FROM _gone_reviews)"
SQL_DELETE_REVIEWS = "DELETE FROM reviews WHERE review_id IN (SELECT review_id FROM _gone_reviews)"

# --- materialised leaderboards ---
SQL_VIEW_EXISTS = (
    "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' "
    "AND view_name = ?"
)
SQL_TABLE_EXISTS = (
    "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
    "AND table_name = ?"
)
# The datasets whose boards a write to these papers can change: their stored claims' datasets and every
# dataset their reviews name (corrections, added claims). Over-approximating is harmless.
SQL_DIRTY_OF_PAPERS = """
SELECT DISTINCT d FROM (
    SELECT dataset AS d FROM claims WHERE paper_id IN (SELECT paper_id FROM {ids})
    UNION ALL
    SELECT dataset FROM pwc_results WHERE paper_id IN (SELECT paper_id FROM {ids})
    UNION ALL
    SELECT json_extract_string(changes, '$.dataset') FROM reviews WHERE paper_id IN (SELECT paper_id FROM {ids})
    UNION ALL
    SELECT json_extract_string(claim, '$.dataset') FROM reviews WHERE paper_id IN (SELECT paper_id FROM {ids})
) WHERE d IS NOT NULL
"""
SQL_METRICS_SIG = "SELECT count(*), coalesce(bit_xor(hash(metric, higher_is_better, unit)), 0) FROM metrics"
# The leaderboard claims of the dirty datasets. Claims of papers without reviews are their effective
# selves, so they are read straight from `claims` (the dataset filter reaches the scan); only papers
# with reviews or archived results go through `leaderboard_claims_merged` (claims_effective, the archive
# merged in: sql/pwc_views.sql), whose computed columns hide it.
# Units, for both: a number written without a unit on a board whose metric has a unit of scale 1 is read
# in it (Swin's `87.3` beside `84.1 %` is 87.3 %); a unitless fraction on a percentage board (`0.873`) is
# converted to 87.3 % and says so in `conditions`: a board never ranks a raw fraction among percentages.
SQL_LB_SOURCE = """
CREATE OR REPLACE TEMP TABLE _lb_src AS
WITH reviewed AS (SELECT paper_id FROM reviews UNION SELECT paper_id FROM pwc_results),
direct AS (
SELECT c.task, c.dataset, c.metric,
       CASE WHEN c.model = '(proposed)' THEN '(proposed)@' || c.paper_id ELSE lower(c.model) END AS model_key,
       c.model, c.value, c.unit, c.value_si, coalesce(m.higher_is_better, true) AS higher_is_better,
       m.unit AS metric_unit, c.paper_id, p.title, p.published, c.conditions, c.quote, c.claim_id,
       'extracted' AS origin,
       CASE WHEN coalesce(m.higher_is_better, true) THEN -c.value_si ELSE c.value_si END AS sort_key,
       c.model = '(proposed)' OR role_in_title(c.model, p.title) OR role_named(c.model, p.abstract) AS named_own,
       role_compared(c.model, p.abstract, c.end_offset) OR k.comparator_key IS NOT NULL AS compared
FROM claims c
JOIN papers p ON p.paper_id = c.paper_id
LEFT JOIN metrics m ON m.metric = c.metric
LEFT JOIN claim_comparators k ON k.paper_id = c.paper_id AND k.comparator_key = role_name_key(c.model)
WHERE ($all OR list_contains($datasets::VARCHAR[], c.dataset)) AND c.kind = 'absolute' AND c.model IS NOT NULL
  AND c.dataset IS NOT NULL AND c.paper_id NOT IN (SELECT paper_id FROM reviewed)
),
src AS (
SELECT task, dataset, metric, model_key, model, value, unit, value_si, higher_is_better, metric_unit, paper_id,
       title, published, conditions, quote, claim_id, origin, sort_key, role
FROM leaderboard_claims_merged
WHERE ($all OR list_contains($datasets::VARCHAR[], dataset)) AND paper_id IN (SELECT paper_id FROM reviewed)
UNION ALL
-- the role as leaderboard_claims gives it (sql/views.sql)
SELECT * EXCLUDE (named_own, compared),
       role_of(named_own, compared, bool_or(named_own) OVER (PARTITION BY paper_id, dataset)) AS role
FROM direct
),
marked AS (
    SELECT s.*, (s.unit IS NULL AND s.metric_unit = '%' AND m.value_range = '0-100' AND s.value > 0 AND s.value < 1)
           AS is_fraction
    FROM src s LEFT JOIN metrics m ON m.metric = s.metric
)
SELECT * EXCLUDE (is_fraction) REPLACE (
    CASE WHEN is_fraction THEN value * 100 ELSE value END AS value,
    CASE WHEN unit IS NULL AND metric_unit IN (SELECT unit FROM units WHERE scale = 1) THEN metric_unit
         ELSE unit END AS unit,
    CASE WHEN is_fraction THEN value_si * 100 ELSE value_si END AS value_si,
    CASE WHEN is_fraction THEN concat_ws('; ', conditions, 'written as the fraction ' || CAST(value AS VARCHAR))
         ELSE conditions END AS conditions,
    CASE WHEN is_fraction THEN sort_key * 100 ELSE sort_key END AS sort_key
)
FROM marked
"""
SQL_LB_DELETE = "DELETE FROM {table} WHERE $all OR list_contains($datasets::VARCHAR[], dataset)"
SQL_LB_INSERT_BEST = """
INSERT INTO leaderboard_best
SELECT rank() OVER (PARTITION BY scope, task, dataset, metric ORDER BY sort_key) AS rank, task, dataset, metric, model_key, model, value, unit, value_si, higher_is_better, paper_id, title,
       published, conditions, quote, claim_id, origin, sort_key, role, scope
FROM (
    SELECT s.*, sc.scope, row_number() OVER (
        PARTITION BY sc.scope, task, dataset, metric, model_key ORDER BY sort_key, published NULLS LAST, claim_id
    ) AS pick
    FROM _lb_src s JOIN (VALUES ('all'), ('own')) sc(scope) ON sc.scope = 'all' OR s.role = 'own'
)
WHERE pick = 1
ORDER BY scope, dataset, metric, task NULLS LAST, sort_key, published NULLS LAST, claim_id
"""
SQL_LB_INSERT_MERGED = """
INSERT INTO leaderboard_merged
SELECT rank() OVER (PARTITION BY scope, dataset, metric ORDER BY sort_key) AS rank, dataset, metric, model_key, model,
       value, unit, paper_id, title, published, conditions, quote, claim_id, origin, sort_key, role, scope
FROM (
    SELECT *, row_number() OVER (
        PARTITION BY scope, dataset, metric, model_key ORDER BY sort_key, published NULLS LAST, claim_id
    ) AS pick
    FROM leaderboard_best
    WHERE $all OR list_contains($datasets::VARCHAR[], dataset)
)
WHERE pick = 1
ORDER BY scope, dataset, metric, rank, published NULLS LAST, model, claim_id
"""
SQL_LB_INSERT_POINTS = """
INSERT INTO leaderboard_points
SELECT task, dataset, metric, published, claim_id, sort_key, value_si, unit, higher_is_better, model, paper_id, title,
       origin, row_number() OVER w AS seq,
       min(sort_key) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS best_key,
       min(sort_key) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_key,
       role,
       CASE WHEN role = 'own' THEN row_number() OVER o END AS own_seq,
       CASE WHEN role = 'own' THEN min(sort_key) OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS own_best_key,
       CASE WHEN role = 'own' THEN min(sort_key) OVER (o ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS own_prev_key
FROM _lb_src
WHERE published IS NOT NULL
WINDOW w AS (PARTITION BY dataset, metric ORDER BY published, claim_id),
       o AS (PARTITION BY dataset, metric, role ORDER BY published, claim_id)
ORDER BY dataset, metric, seq
"""
SQL_LB_INSERT_INDEX = """
INSERT INTO leaderboards
WITH per_unit AS (
    SELECT task, dataset, metric, unit, count(*) AS n FROM _lb_src WHERE unit IS NOT NULL GROUP BY ALL
),
usual_unit AS (
    SELECT task, dataset, metric, first(unit ORDER BY n DESC, unit) AS unit FROM per_unit GROUP BY ALL
),
agg AS (
    SELECT task, dataset, metric,
           bool_and(higher_is_better) AS higher_is_better,
           any_value(metric_unit) AS metric_unit,
           count(DISTINCT model_key) AS models,
           count(DISTINCT model_key) FILTER (WHERE role = 'own') AS own_models,
           count(*) AS claims,
           count(DISTINCT paper_id) AS papers,
           max(published) AS latest
    FROM _lb_src
    GROUP BY ALL
)
SELECT a.task, a.dataset, a.metric, a.higher_is_better, coalesce(u.unit, a.metric_unit) AS unit,
       a.models, a.claims, a.papers, a.latest, a.own_models
FROM agg a
LEFT JOIN usual_unit u
  ON u.task IS NOT DISTINCT FROM a.task AND u.dataset = a.dataset AND u.metric = a.metric
ORDER BY a.dataset, a.metric, a.task NULLS LAST
"""
SQL_LB_DROP_SOURCE = "DROP TABLE IF EXISTS _lb_src"

# --- staging of a load ---
SQL_STAGING_CREATE = (
    "CREATE TABLE IF NOT EXISTS _staging_papers AS SELECT * FROM papers LIMIT 0",
    "CREATE TABLE IF NOT EXISTS _staging_claims AS SELECT * FROM claims LIMIT 0",
    "CREATE TABLE IF NOT EXISTS _staging_replace (paper_id VARCHAR)",
    # Every id read from the file being loaded, with its first record: a repeat with other content is an
    # error. Kept in the database rather than a dict so that the load's memory does not grow with the file.
    "CREATE TABLE IF NOT EXISTS _staging_seen (paper_id VARCHAR, content_hash VARCHAR, record VARCHAR)",
)
SQL_SEEN_BEFORE = (
    "SELECT s.paper_id, s.content_hash, s.record FROM _staging_seen s JOIN _batch_ids b ON b.paper_id = s.paper_id"
)
SQL_SEEN_ADD = "INSERT INTO _staging_seen SELECT * FROM _batch_seen"
SQL_SEEN_FORGET = "DELETE FROM _staging_seen"
SQL_SEEN_DROP = "DROP TABLE IF EXISTS _staging_seen"
SQL_STAGING_DROP = tuple(f"DROP TABLE IF EXISTS {t}" for t in STAGING)
SQL_STAGING_EXISTING = (
    "SELECT p.paper_id, p.content_hash, p.extractor_version, p.vocab_hash "
    "FROM _staging_papers p JOIN _batch_ids b ON b.paper_id = p.paper_id"
)
SQL_STAGING_DELETE_CLAIMS = "DELETE FROM _staging_claims WHERE paper_id IN (SELECT paper_id FROM _replace_ids)"
SQL_STAGING_DELETE_PAPERS = "DELETE FROM _staging_papers WHERE paper_id IN (SELECT paper_id FROM _replace_ids)"
SQL_STAGING_ADD_REPLACE = "INSERT INTO _staging_replace SELECT paper_id FROM _replace_ids"
SQL_STAGING_INSERT_PAPERS = "INSERT INTO _staging_papers BY NAME SELECT * FROM _batch_papers"
SQL_STAGING_INSERT_CLAIMS = "INSERT INTO _staging_claims BY NAME SELECT * FROM _batch_claims"
# write_batch's statements, direct (False) or into the staging (True): (replace, insert papers, insert claims).
_WRITE_SQL: dict[bool, tuple[tuple[str, ...], str, str]] = {
    False: ((SQL_DELETE_CLAIMS, SQL_DELETE_PAPERS), SQL_INSERT_PAPERS, SQL_INSERT_CLAIMS),
    True: (
        (SQL_STAGING_DELETE_CLAIMS, SQL_STAGING_DELETE_PAPERS, SQL_STAGING_ADD_REPLACE),
        SQL_STAGING_INSERT_PAPERS,
        SQL_STAGING_INSERT_CLAIMS,
    ),
}
SQL_PUBLISH_TOUCHED = (
    "CREATE OR REPLACE TEMP TABLE _touched_ids AS "
    "SELECT paper_id FROM _staging_replace UNION SELECT paper_id FROM _staging_papers"
)
SQL_PUBLISH_STAGED_DATASETS = "SELECT DISTINCT dataset FROM _staging_claims WHERE dataset IS NOT NULL"
SQL_FILE_LOADED = (
    "SELECT max(papers) FROM loaded_files WHERE sha256 = ? AND size = ? AND format IS NOT DISTINCT FROM ? "
    "AND extractor_version = ? AND vocab_hash = ?"
)
SQL_CLEAR_LOADED_FILES = "DELETE FROM loaded_files"
SQL_ADD_LOADED_FILE = "INSERT INTO loaded_files VALUES (?, ?, ?, ?, ?, ?, ?)"
SQL_STAGED_REPLACES = "SELECT count(*) FROM _staging_replace"
SQL_PUBLISH = (
    "DELETE FROM claims WHERE paper_id IN (SELECT paper_id FROM _staging_replace)",
    "DELETE FROM papers WHERE paper_id IN (SELECT paper_id FROM _staging_replace)",
    "INSERT INTO papers BY NAME SELECT * FROM _staging_papers",
    "INSERT INTO claims BY NAME SELECT * FROM _staging_claims",
)
SQL_COUNT_REVIEWS = "SELECT count(*) FROM reviews"
SQL_MAX_REVIEW_SEQ = "SELECT coalesce(max(seq), 0) FROM reviews"
SQL_INSERT_REVIEWS = (
    "INSERT INTO reviews BY NAME SELECT * REPLACE (changes::JSON AS changes, claim::JSON AS claim, body::JSON AS body) "
    "FROM _batch_reviews WHERE review_id NOT IN (SELECT review_id FROM reviews)"
)


class StoreError(ValueError):
    """The database cannot be used as asked; the message names the file and the problem on one line."""


class DatabaseLocked(StoreError):
    """Another process (or connection) holds the file; `.holder` says which, the message what to do."""

    def __init__(self, message: str, holder: Holder) -> None:
        super().__init__(message)
        self.holder = holder


class SchemaError(StoreError):
    """The file's tables or macros are not the store's any more (changed with `tracker sql --write`, or by
    another program); the message lists each difference with the statement that undoes it."""


# Tables the store rebuilds from the others (a missing or changed one is recreated, never an error).
DERIVED_TABLES = (*MATERIALISED, "loaded_files")


@functools.cache
def reference_catalog() -> schema_check.Catalog:
    """The schema the store's SQL files create in an empty database (compared with a file's at open)."""
    return schema_check.reference_catalog([s for name in SQL_FILES for s in sql_statements(sql_text(name))])


_CREATE_MACRO = re.compile(r"\s*CREATE\s+(OR\s+REPLACE\s+)?MACRO\b", re.I)


@functools.cache
def reference_macros() -> schema_check.Catalog:
    """Only the store's own macros (all a read-only open checks): milliseconds, where the whole reference
    schema takes a second to build."""
    return schema_check.reference_catalog(
        [s for name in SQL_FILES for s in sql_statements(sql_text(name)) if _CREATE_MACRO.match(s)], macros_only=True
    )


def schema_problems(con: duckdb.DuckDBPyConnection, version: int) -> tuple[list[str], list[str]]:
    """(problems that make the file unusable, derived tables to recreate) of a claimtrack file of `version`.
    Tables a newer schema version adds (reviews, the materialised boards) may be missing; the core tables may not."""
    ref = reference_catalog()
    cat = schema_check.read_catalog(con)
    required = [t for t in sorted(ref.tables) if t not in DERIVED_TABLES and (t != "reviews" or version >= 2)]
    problems = schema_check.table_problems(cat, ref, required)
    problems += [p for p in schema_check.view_problems(cat, ref) if p.endswith("claimtrack's is a view")]
    problems += schema_check.macro_problems(con, cat, ref)
    present = [t for t in DERIVED_TABLES if t in cat.tables]
    stale = [t for t in present if schema_check.table_problems(cat, ref, [t])]
    return problems, stale


def schema_error(path: Path, problems: Sequence[str]) -> SchemaError:
    return SchemaError(
        f"{path}: the store's schema was changed, so claimtrack cannot use this file: {'; '.join(problems)}. "
        f"Undo each change with `tracker sql --write --db {path} \"STATEMENT\"` (the statements in brackets), "
        "or restore a backup"
    )


def sql_text(name: str) -> str:
    """The text of `tracker/store/sql/NAME`."""
    return (resources.files("tracker.store") / "sql" / name).read_text(encoding="utf-8")


def sql_statements(text: str) -> list[str]:
    """Split a .sql file on `;` at line ends (our files hold no `;` inside strings)."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]


def value_si(value: float, unit: str | None) -> float:
    """`value` scaled to the base unit of `unit` (see UNIT_SCALE); unknown or no unit: unchanged."""
    return value * UNIT_SCALE.get(unit, 1.0) if unit else value


def _one_line(e: BaseException) -> str:
    return " ".join(str(e).split("\n")[0].split())


def _open_error(path: Path, e: duckdb.Error) -> StoreError:
    msg = str(e)
    if is_lock_error(e):
        holder = holder_of(e)
        since = f" since {holder.since:%H:%M:%S}" if holder.since else ""
        text = f"{path}: the database is locked: held by {holder.describe()}{since}; {holder.advice()}"
        return DatabaseLocked(text, holder)
    if "not a valid DuckDB database" in msg:
        return StoreError(f"{path}: not a claimtrack database (not a DuckDB file)")
    if "older" in msg.lower() or "newer" in msg.lower() or "version" in msg.lower():
        return StoreError(f"{path}: cannot open this DuckDB file: {_one_line(e)}")
    return StoreError(f"{path}: cannot open the database: {_one_line(e)}")


def _check_version(con: duckdb.DuckDBPyConnection, path: Path, *, allow_empty: bool) -> int | None:
    """The file's schema version; None for an empty file (when allowed); StoreError otherwise."""
    if con.execute(SQL_HAS_VERSION_TABLE).fetchall()[0][0] == 0:
        tables = [r[0] for r in con.execute(SQL_USER_TABLES).fetchall()]
        if allow_empty and not tables:
            return None
        raise StoreError(f"{path}: not a claimtrack database (no schema_version table)")
    version = con.execute(SQL_SCHEMA_VERSION, [APP]).fetchall()[0][0]
    if version is None:
        raise StoreError(f"{path}: not a claimtrack database (schema_version names another application)")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: written by a newer claimtrack (schema version {version}, this one knows {SCHEMA_VERSION}); "
            "upgrade claimtrack"
        )
    return version


DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB file (after an 8-byte checksum)


def check_duckdb_file(path: Path) -> None:
    """StoreError when `path` is an existing file that is not a DuckDB database (an empty one included).

    DuckDB would otherwise open some such files (a .csv, say) as something else, and a load would
    report papers it stored nowhere."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
    except FileNotFoundError:
        return
    except IsADirectoryError:
        raise StoreError(f"{path}: is a directory, not a database file") from None
    except OSError as e:
        raise StoreError(f"{path}: cannot read the database file: {e.strerror or e}") from None
    if head[8:12] != DUCKDB_MAGIC:
        raise StoreError(
            f"{path}: not a claimtrack database (not a DuckDB database; refusing to use or overwrite it; give another --db)"
        )


def connect_readonly(
    path: str | Path, *, wait_s: float | None = None, limits: SQLLimits | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection without file/network access whose configuration user SQL cannot change,
    with capped memory, spill size and threads (`limits`, default: `SQLLimits.from_env()`).
    While a writer holds the file, tried again for up to `wait_s` seconds (None: $CLAIMTRACK_LOCK_WAIT,
    else 5 s; the dashboard passes 0: it shows what it last read instead), then DatabaseLocked."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path}: no such database file (create it with `tracker load ... --db {path}`)")
    check_duckdb_file(path)
    config = {"enable_external_access": False, **(limits or SQLLimits.from_env()).duckdb_config()}
    try:
        con = retry_while_locked(
            lambda: duckdb.connect(str(path), read_only=True, config=config),
            lock_wait_s() if wait_s is None else wait_s,
        )
    except duckdb.Error as e:
        raise _open_error(path, e) from None
    try:
        _check_version(con, path, allow_empty=False)
        macros = schema_check.macro_problems(con, schema_check.Catalog(macros=schema_check.read_macros(con)), reference_macros())
        if macros:  # it would change what every query of the dashboard and the CLI computes
            raise schema_error(path, macros)
        # A second connection to a file this process already holds read-only shares its (locked) instance.
        if not con.execute("SELECT current_setting('lock_configuration')").fetchall()[0][0]:
            con.execute("SET enable_progress_bar = false")  # it draws on stdout (the SQL child's frames)
            con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


class Store:
    """A writable claimtrack database; creates or upgrades the schema on open."""

    def __init__(self, path: str | Path, *, extra_sql: Sequence[str] = (), wait_s: float | None = None) -> None:
        """`wait_s`: how long to wait for a reader that holds the file (None: $CLAIMTRACK_LOCK_WAIT, else 5 s);
        the dashboard holds it only while it answers, so a writer that meets it waits instead of failing."""
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path}: is a directory, not a database file")
        if not self.path.parent.exists():
            raise StoreError(f"{self.path}: directory {self.path.parent} does not exist")
        check_duckdb_file(self.path)
        wait = lock_wait_s() if wait_s is None else wait_s
        try:
            self.con = retry_while_locked(lambda: duckdb.connect(str(self.path)), wait)
        except duckdb.Error as e:
            raise _open_error(self.path, e) from None
        self.con.execute("SET enable_progress_bar = false")  # the leaderboard rebuild must not draw on stdout
        self._dirty: set[str] = set()  # datasets whose materialised boards the open transaction changed
        self._dirty_all = False
        try:
            self._init_schema(extra_sql)
            self.applied = self.apply_journal()  # reviews only in the journal, now in the table
        except BaseException:
            self.con.close()
            raise

    def _init_schema(self, extra_sql: Sequence[str]) -> None:
        version = _check_version(self.con, self.path, allow_empty=True)
        with self.transaction():
            # Before materialisation `leaderboards` was a view; a file without the materialised tables
            # (or with a load's staging left by a crash: discarded here) gets them built from scratch.
            if self.con.execute(SQL_VIEW_EXISTS, ["leaderboards"]).fetchall()[0][0]:
                self.con.execute("DROP VIEW leaderboards")
            if version is not None:  # an existing claimtrack file: are its tables still the store's?
                problems, stale = schema_problems(self.con, version)
                if problems:
                    raise schema_error(self.path, problems)
                for table in stale:  # derived: recreated by schema.sql below and rebuilt
                    self.con.execute(f"DROP TABLE {table}")
            if any(not self.con.execute(SQL_TABLE_EXISTS, [t]).fetchall()[0][0] for t in MATERIALISED):
                self._dirty_all = True
            for stmt in SQL_STAGING_DROP:
                self.con.execute(stmt)
            for name in (*SQL_FILES, *extra_sql):
                for stmt in sql_statements(sql_text(name)):
                    self.con.execute(stmt)
            if version is None or version < SCHEMA_VERSION:
                # 1 -> 2 needs no data change: reviews.sql created the (empty) reviews table above.
                self.con.execute(SQL_INSERT_SCHEMA_VERSION, [APP, SCHEMA_VERSION])
            # Future migrations: `if version < 3: ...` here, then record the new version.
            for unit, scale in UNIT_SCALE.items():
                self.con.execute(SQL_UPSERT_UNIT, [unit, scale])

    def set_memory_limit(self, limit: str) -> None:
        """Cap DuckDB's memory for this connection (e.g. "512MB"); a bad value is a StoreError."""
        if not re.fullmatch(r"\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)", limit.strip(), re.I):
            raise StoreError(f"{self.path}: memory limit {limit!r} is not like 512MB or 1GB")
        self.con.execute(f"SET memory_limit = '{limit.strip()}'")

    # --- lifecycle ---
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN ... COMMIT, ROLLBACK on any exception (including KeyboardInterrupt)."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
            self.refresh_leaderboards()  # the materialised boards commit together with the write
        except BaseException:
            self._dirty.clear()
            self._dirty_all = False
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    # --- materialised leaderboards (leaderboard_best, leaderboard_points, leaderboards) ---
    def mark_papers(self, paper_ids: Sequence[str] | None = None, *, table: str | None = None) -> None:
        """Note the datasets whose boards a write to these papers (given as ids or as a registered
        table/view with a paper_id column) may change: call before and after the write."""
        if table is None:
            if not paper_ids:
                return
            ids = pa.table({"paper_id": pa.array(list(paper_ids), pa.string())})
            with self._registered("_dirty_ids", ids):
                self.mark_papers(table="_dirty_ids")
            return
        self._dirty.update(r[0] for r in self.con.execute(SQL_DIRTY_OF_PAPERS.format(ids=table)).fetchall())

    def mark_all(self) -> None:
        self._dirty_all = True

    def refresh_leaderboards(self, *, full: bool = False) -> None:
        """Rebuild the materialised boards of the datasets marked dirty (all of them when `full`), inside
        the caller's transaction. Called by transaction() before COMMIT."""
        full = full or self._dirty_all
        if not full and not self._dirty:
            return
        refresh_leaderboards(self.con, None if full else self._dirty)
        self._dirty.clear()
        self._dirty_all = False

    @contextlib.contextmanager
    def _registered(self, name: str, table: pa.Table) -> Iterator[None]:
        self.con.register(name, table)
        try:
            yield
        finally:
            with contextlib.suppress(duckdb.Error):  # an aborted transaction must not hide the real error
                self.con.unregister(name)

    # --- reviews (tracker/reviews.py): the journal first, then the table ---
    @property
    def journal(self) -> Path:
        return journal_path(self.path)

    def review_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute(SQL_REVIEW_IDS).fetchall()}

    def scan_journal(self) -> JournalScan:
        try:
            return scan_journal(self.journal)
        except ReviewError as e:
            raise StoreError(f"{e} (the review journal of {self.path})") from None

    def apply_journal(self) -> int:
        """Insert the journal's reviews that the table lacks (a crash between the journal's fsync and the
        table's commit, or a dashboard review written while another process held the database) and delete
        the ones a tombstone deletes, in one transaction; idempotent by review_id. A damaged line does not
        stop the others: it is skipped and reported (a warning on stderr). Returns how many were inserted."""
        scan = self.scan_journal()
        if scan.problems:
            warn(scan.warning() or "")
        if not scan.entries:
            return 0
        known = self.review_ids()
        missing = [r for r in scan.reviews if r.review_id not in known]
        gone = sorted(scan.deleted & known)
        if not missing and not gone:
            return 0
        with self.transaction():
            self.insert_reviews(missing)
            self.remove_reviews(gone)
        return len(missing)

    def remove_reviews(self, review_ids: Sequence[str]) -> int:
        """Delete reviews from the table (call inside transaction(); the journal's tombstones say so)."""
        if not review_ids:
            return 0
        ids = pa.table({"review_id": pa.array(list(review_ids), pa.string())})
        with self._registered("_gone_reviews", ids):
            papers = [r[0] for r in self.con.execute(SQL_PAPERS_OF_REVIEWS).fetchall()]
            self.mark_papers(papers)
            n = self.con.execute(SQL_DELETE_REVIEWS).fetchall()[0][0]
        self.mark_papers(papers)
        return int(n)

    def delete_reviews(self, review_ids: Sequence[str], *, note: str | None = None, reviewer: str | None = None) -> list[Deletion]:
        """Delete reviews for good: a tombstone per review is appended to the journal (fsync) FIRST, so that
        replaying the journal keeps them deleted, then they leave the table in one transaction. Every id
        must be a review of the table; returns the tombstones written."""
        rows = {r[0]: r[1] for r in self.con.execute(SQL_REVIEW_PAPERS).fetchall()}
        unknown = [i for i in review_ids if i not in rows]
        if unknown:
            raise StoreError(f"{self.path}: no review {unknown[0]!r} (list them: tracker reviews export --db {self.path})")
        tombs = [Deletion(deletes=i, paper_id=rows[i], note=note or None, reviewer=reviewer or None) for i in dict.fromkeys(review_ids)]
        for msg in append_journal(self.journal, tombs):
            warn(msg)
        with self.transaction():
            self.remove_reviews([t.deletes for t in tombs])
        return tombs

    def insert_reviews(self, reviews: Sequence[Review]) -> int:
        """Write reviews to the table (call inside transaction()); ids already there are skipped."""
        if not reviews:
            return 0
        before = self.con.execute(SQL_COUNT_REVIEWS).fetchall()[0][0]
        table = reviews_table(reviews, first_seq=self.con.execute(SQL_MAX_REVIEW_SEQ).fetchall()[0][0] + 1)
        papers = sorted({r.paper_id for r in reviews})
        self.mark_papers(papers)
        with self._registered("_batch_reviews", table):
            self.con.execute(SQL_INSERT_REVIEWS)
        self.mark_papers(papers)
        return self.con.execute(SQL_COUNT_REVIEWS).fetchall()[0][0] - before

    def add_reviews(self, reviews: Sequence[Review]) -> list[Review]:
        """Record new reviews durably: append them to the journal (fsync) FIRST, then insert them in one
        transaction. Reviews whose review_id is already recorded are skipped (import is idempotent).
        Returns the reviews that were new."""
        reviews = unique_reviews(reviews)
        known = self.review_ids() | self.scan_journal().deleted  # a deleted review stays deleted
        new = [r for r in reviews if r.review_id not in known]
        if not new:
            return []
        for msg in append_journal(self.journal, new):
            warn(msg)
        with self.transaction():
            self.insert_reviews(new)
        return new

    # --- reads the loader needs ---
    def existing(self, paper_ids: Sequence[str], *, staged: bool = False) -> dict[str, tuple[str, str, str]]:
        """paper_id -> (content_hash, extractor_version, vocab_hash) for the ids already stored (and,
        with `staged`, as staged by the running load, which wins)."""
        if not paper_ids:
            return {}
        ids = pa.table({"paper_id": pa.array(paper_ids, pa.string())})
        with self._registered("_batch_ids", ids):
            out = {r[0]: (r[1], r[2], r[3]) for r in self.con.execute(SQL_EXISTING).fetchall()}
            if staged:
                out.update({r[0]: (r[1], r[2], r[3]) for r in self.con.execute(SQL_STAGING_EXISTING).fetchall()})
            return out

    # --- writes (call inside transaction()) ---
    def sync_vocab(self, vocab: Vocab) -> None:
        """Upsert the vocabulary's metrics, datasets and tasks (the loader does this once per file)."""
        sig = self.con.execute(SQL_METRICS_SIG).fetchall()[0]
        self._sync_vocab(vocab)
        if self.con.execute(SQL_METRICS_SIG).fetchall()[0] != sig:
            self.mark_all()  # a metric's direction or unit changed: every board may rank differently

    def _sync_vocab(self, vocab: Vocab) -> None:
        """The whole vocabulary (curated and generated) into the metrics, datasets and tasks tables."""
        for name, (sqls, table) in _vocab_tables(vocab).items():
            if table.num_rows:
                with self._registered(name, table):
                    empty = not self.con.execute(SQL_VOCAB_ANY.format(t=name.removeprefix("_vocab_"))).fetchall()
                    for sql in sqls[:1] if empty else sqls:  # a fresh table: the insert is the whole upsert
                        self.con.execute(sql)

    def add_unknown_metrics(self) -> None:
        self.con.execute(SQL_ADD_UNKNOWN_METRICS)


    def write_batch(
        self, papers: pa.Table, claims: pa.Table, replace_ids: Sequence[str], *, staged: bool = False
    ) -> None:
        """Replace the papers in `replace_ids` (and their claims), then insert `papers` and `claims`.
        With `staged`, into the running load's staging tables (see begin_staging/publish)."""
        replace_sql, papers_sql, claims_sql = _WRITE_SQL[staged]
        if not staged:  # staged rows touch no board until publish()
            self.mark_papers(sorted({*replace_ids, *papers.column("paper_id").to_pylist()}))
            if claims.num_rows:
                self._dirty.update(d for d in pa.compute.unique(claims.column("dataset")).to_pylist() if d is not None)
        if replace_ids:
            ids = pa.table({"paper_id": pa.array(list(replace_ids), pa.string())})
            with self._registered("_replace_ids", ids):
                for stmt in replace_sql:
                    self.con.execute(stmt)
        if papers.num_rows:
            with self._registered("_batch_papers", papers):
                self.con.execute(papers_sql)
        if claims.num_rows:
            with self._registered("_batch_claims", claims):
                self.con.execute(claims_sql)

    # --- a load's staging: batches committed one by one (flat memory), published in one transaction ---
    def begin_staging(self) -> None:
        """Empty staging tables for a new load (any left by a killed load are discarded)."""
        with self.transaction():
            for stmt in (*SQL_STAGING_DROP, *SQL_STAGING_CREATE):
                self.con.execute(stmt)

    def seen_in_file(self, paper_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """paper_id -> (content_hash, record) for the ids an earlier batch of the file being loaded had."""
        ids = pa.table({"paper_id": pa.array(list(paper_ids), pa.string())})
        with self._registered("_batch_ids", ids):
            return {r[0]: (r[1], r[2]) for r in self.con.execute(SQL_SEEN_BEFORE).fetchall()}

    def remember_seen(self, seen: Sequence[tuple[str, str, str]]) -> None:
        """Add (paper_id, content_hash, record) rows to the file's seen ids (committed at once)."""
        if not seen:
            return
        ids, hashes, records = zip(*seen)
        table = pa.table({"paper_id": list(ids), "content_hash": list(hashes), "record": list(records)})
        with self.transaction(), self._registered("_batch_seen", table):
            self.con.execute(SQL_SEEN_ADD)

    def forget_seen(self) -> None:
        """A new file begins: ids repeat across files legitimately (the later file wins)."""
        with self.transaction():
            self.con.execute(SQL_SEEN_FORGET)

    def discard_staging(self) -> None:
        with self.transaction():
            for stmt in SQL_STAGING_DROP:
                self.con.execute(stmt)

    def file_loaded(self, key: tuple[str, int, str | None, str, str]) -> int | None:
        """How many papers the file with key (sha256, size, format, extractor_version, vocab_hash) holds,
        when all of them are stored as it has them (see loaded_files); None otherwise. Called during a load
        (after begin_staging)."""
        # An earlier file of the running load staged replacements: they may replace papers of this file,
        # which must then be read so that it wins over them (as the later file), exactly as without the
        # fingerprint; publish() clears loaded_files in that case anyway.
        if self.con.execute(SQL_STAGED_REPLACES).fetchall()[0][0]:
            return None
        n = self.con.execute(SQL_FILE_LOADED, list(key)).fetchall()[0][0]
        return None if n is None else int(n)

    def publish(
        self, vocab: Vocab | None = None, files: Sequence[tuple[Any, ...]] = (), *, retry_memory: Sequence[str] = (),
        then: Callable[[], None] | None = None,
    ) -> None:
        """_publish, tried again after an out-of-memory rollback with each memory cap of `retry_memory`.
        `then` runs inside the publish transaction once the staged papers are in `papers` (the archive
        import writes its results there, so that a load and an import are one transaction)."""
        caps = (None, *retry_memory)
        for attempt, cap in enumerate(caps, start=1):
            if cap is not None:
                self.set_memory_limit(cap)
            try:
                self._publish(vocab, files, then)
                return
            except duckdb.OutOfMemoryException:
                if attempt == len(caps):
                    raise

    def _publish(
        self, vocab: Vocab | None, files: Sequence[tuple[Any, ...]], then: Callable[[], None] | None = None
    ) -> None:
        """Move the staged papers and claims into `papers` and `claims` in ONE transaction (replaced papers'
        rows deleted first), drop the staging tables, upsert the vocabulary and rebuild the touched boards.
        `files`: loaded_files rows (sha256, size, path, format, extractor_version, vocab_hash, papers) of
        this load's inputs; any replacement clears the older rows, and with several files they are only
        recorded when nothing was replaced (a later file may have replaced an earlier one's papers)."""
        # The ids seen are no longer needed, and a checkpoint writes the staged rows to the file, so the
        # publish transaction starts with nothing pinned in DuckDB's (capped) memory.
        with self.transaction():
            self.con.execute(SQL_SEEN_DROP)
        self.con.execute("CHECKPOINT")
        with self.transaction():
            replaced = self.con.execute(SQL_STAGED_REPLACES).fetchall()[0][0] > 0
            if replaced:
                self.con.execute(SQL_CLEAR_LOADED_FILES)
            if len(files) == 1 or not replaced:
                for row in files:
                    self.con.execute(SQL_ADD_LOADED_FILE, list(row))
            if vocab is not None:
                self.sync_vocab(vocab)
            self.con.execute(SQL_PUBLISH_TOUCHED)
            self.mark_papers(table="_touched_ids")
            self._dirty.update(r[0] for r in self.con.execute(SQL_PUBLISH_STAGED_DATASETS).fetchall())
            for stmt in (*SQL_PUBLISH, *SQL_STAGING_DROP):
                self.con.execute(stmt)
            self.con.execute("DROP TABLE IF EXISTS _touched_ids")
            if then is not None:
                then()
            self.add_unknown_metrics()


# --- rows and Arrow tables ---


def claim_rows(claims: Iterable[Claim]) -> list[tuple[Any, ...]]:
    """One paper's claims as CLAIM_COLUMNS tuples. Exact repeats are dropped; two different claims
    that share a claim_id (same span, value, metric, kind, model) get `-2`, `-3`... so ids stay unique."""
    rows: list[tuple[Any, ...]] = []
    seen: dict[str, list[tuple[Any, ...]]] = {}
    for c in claims:
        body = (
            c.paper_id, c.quote, c.start, c.end, float(c.value), value_si(float(c.value), c.unit), c.unit,
            c.metric, c.kind, c.model, c.dataset, c.task, c.comparator, c.direction, c.conditions,
            c.qualifier, bool(c.required), c.extractor_version,
        )  # fmt: skip
        base = c.claim_id
        same = seen.setdefault(base, [])
        if body in same:
            continue
        same.append(body)
        cid = base if len(same) == 1 else f"{base}-{len(same)}"
        rows.append((cid, *body))
    return rows


def claims_table(rows: Sequence[tuple[Any, ...]]) -> pa.Table:
    cols = list(zip(*rows)) if rows else [[] for _ in CLAIM_COLUMNS]
    return pa.table([pa.array(list(col), f.type) for col, f in zip(cols, CLAIM_SCHEMA)], schema=CLAIM_SCHEMA)


def papers_table(
    papers: Sequence[Paper], *, extractor_version: str, vocab_hash: str, loaded_at: datetime
) -> pa.Table:
    n = len(papers)
    data = [
        [p.id for p in papers],
        [p.title for p in papers],
        [p.abstract for p in papers],
        [p.published for p in papers],
        [list(p.authors) for p in papers],
        [p.url for p in papers],
        [p.source for p in papers],
        [list(p.categories) for p in papers],
        [p.content_hash for p in papers],
        [extractor_version] * n,
        [vocab_hash] * n,
        [loaded_at] * n,
    ]
    return pa.table([pa.array(col, f.type) for col, f in zip(data, PAPER_SCHEMA)], schema=PAPER_SCHEMA)


def reviews_table(reviews: Sequence[Review], *, first_seq: int) -> pa.Table:
    """Reviews as rows of the `reviews` table (seq numbered from first_seq, in the given order)."""
    cols: dict[str, list[Any]] = {f.name: [] for f in REVIEW_SCHEMA}
    for i, r in enumerate(reviews):
        a = r.anchor
        row = {
            "review_id": r.review_id, "seq": first_seq + i, "paper_id": r.paper_id, "action": r.action,
            "anchor_claim_id": a and a.claim_id, "anchor_value": a and a.value, "anchor_metric": a and a.metric,
            "anchor_kind": a and a.kind, "anchor_start": a and a.start, "anchor_end": a and a.end,
            "anchor_quote": a and a.quote, "changes": json.dumps(r.changes, ensure_ascii=False),
            "claim": None if r.claim is None else json.dumps(r.claim, ensure_ascii=False),
            "note": r.note, "reviewer": r.reviewer,
            "created_at": r.created_at.astimezone(UTC).replace(tzinfo=None) if r.created_at.tzinfo else r.created_at,
            "body": r.model_dump_json(),
        }  # fmt: skip
        for k, v in row.items():
            cols[k].append(v)
    return pa.table([pa.array(cols[f.name], f.type) for f in REVIEW_SCHEMA], schema=REVIEW_SCHEMA)


_VOCAB_TABLES: dict[int, tuple[Vocab, dict[str, tuple[tuple[str, ...], pa.Table]]]] = {}


def _vocab_tables(vocab: Vocab) -> dict[str, tuple[tuple[str, ...], pa.Table]]:
    """The vocabulary as Arrow tables (with their upsert statements), built once per Vocab: ~17,000 entries take
    ~0.5 s to convert, and a process (a test run, a dashboard) writes many times with one vocabulary."""
    hit = _VOCAB_TABLES.get(id(vocab))
    if hit is not None and hit[0] is vocab:
        return hit[1]
    strs = pa.list_(pa.string())
    variants = pa.list_(pa.struct([("name", pa.string()), ("condition", pa.string())]))

    def table(entries: Any, key: str, scalars: str, lists: str) -> pa.Table:
        """Columns `key` (the name), then scalar and list attributes (column = attribute, except the renamed)."""
        es = list(entries)
        cols: dict[str, pa.Array] = {key: pa.array([e.name for e in es], pa.string())}
        for c in scalars.split():
            cols[c] = pa.array([getattr(e, _VOCAB_ATTR.get(c, c)) for e in es], pa.bool_() if c == "higher_is_better" else pa.string())
        for c in lists.split():
            cols[c] = pa.array([list(getattr(e, _VOCAB_ATTR.get(c, c))) for e in es], strs)
        return pa.table(cols)

    m = table(vocab.metrics.values(), "metric", "higher_is_better family unit direction_source metric_group value_range",
              "aliases context_aliases sources")  # fmt: skip
    m = m.append_column("variants", pa.array([[{"name": a, "condition": c} for a, c in e.variants] for e in vocab.metrics.values()], variants))
    tables = {
        "_vocab_metrics": (SQL_UPSERT_METRICS, m),
        "_vocab_datasets": (SQL_UPSERT_DATASETS, table(vocab.datasets.values(), "dataset", "task metric",
                                                       "aliases tasks metrics conditions context_aliases sources")),
        "_vocab_tasks": (SQL_UPSERT_TASKS, table(vocab.tasks.values(), "task", "label area parent report_as",
                                                 "aliases categories metrics context_aliases sources")),
    }  # fmt: skip
    if len(_VOCAB_TABLES) > 4:
        _VOCAB_TABLES.clear()
    _VOCAB_TABLES[id(vocab)] = (vocab, tables)
    return tables


def refresh_leaderboards(con: duckdb.DuckDBPyConnection, datasets: Iterable[str] | None = None) -> None:
    """Rebuild the materialised leaderboards of `datasets` (None: all) inside the caller's transaction."""
    params = {"all": datasets is None, "datasets": sorted(datasets or ())}
    con.execute(SQL_LB_SOURCE, params)
    for table in MATERIALISED:
        con.execute(SQL_LB_DELETE.format(table=table), params)
    con.execute(SQL_LB_INSERT_BEST)
    con.execute(SQL_LB_INSERT_MERGED, params)
    con.execute(SQL_LB_INSERT_POINTS)
    con.execute(SQL_LB_INSERT_INDEX)
    con.execute(SQL_LB_DROP_SOURCE)


def connect_admin(path: str | Path) -> duckdb.DuckDBPyConnection:
    """A normal connection for `tracker sql --write`, opened as Store opens (schema, journal). When the
    file's schema is damaged (SchemaError), a plain connection with a warning, so that the statements that
    repair it can run (the write guard of safe_sql refuses any that damage it further)."""
    try:
        return Store(path).con
    except SchemaError as e:
        warn(f"{e}; running the statement on the file as it is")
        try:
            return duckdb.connect(str(path))
        except duckdb.Error as e2:
            raise _open_error(Path(path), e2) from None


def finish_admin_write(path: str | Path, reviews_changed: dict[str, int], *, wrote: bool) -> list[str]:
    """After `tracker sql --write` committed: reopen the file as Store does (which re-applies the journal)
    and rebuild every materialised leaderboard, on a fresh connection that no temporary object or setting
    of the user's session can affect. Returns warnings on what the write did to the reviews table."""
    notes: list[str] = []
    journal = journal_path(path)
    if not wrote:
        return notes
    try:
        store = Store(path)
    except SchemaError as e:
        return [f"{e} (the leaderboards were not rebuilt)"]
    with store:
        rebuild_leaderboards(store.con)
        restored = store.applied
    if reviews_changed.get("deleted"):
        notes.append(
            f"the statement deleted {reviews_changed['deleted']} review(s) from the reviews table, but the journal "
            f"{journal} is the durable copy and every writable open re-applies it: {restored} came back just now. "
            "Delete a review for good with `tracker review delete REVIEW_ID`"
        )
    if reviews_changed.get("added"):
        notes.append(
            f"the statement added {reviews_changed['added']} review(s) to the reviews table only: they are not in the "
            f"journal {journal}, so a rebuild loses them (`tracker reviews check --repair` journals them)"
        )
    if reviews_changed.get("changed"):
        notes.append(
            f"the statement changed {reviews_changed['changed']} review(s) in the reviews table; the journal {journal} "
            "keeps them as they were, and a rebuild uses the journal's copy (record a change as a new review instead)"
        )
    return notes


def rebuild_leaderboards(con: duckdb.DuckDBPyConnection) -> None:
    """All materialised leaderboards rebuilt, and the loaded-file fingerprints forgotten, in one transaction
    (after a plain-SQL write: `tracker sql --write`)."""
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(SQL_CLEAR_LOADED_FILES)
        refresh_leaderboards(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def try_apply_journal(db: str | Path, *, wait_s: float | None = None) -> bool:
    """Open `db` for writing just long enough to apply its journal (Store's open does that), then close.
    False when another process holds the database: the reviews stay in the journal, and the next
    writable open (any `tracker` command that writes, or the next review) applies them. A caller in a
    process that holds a read-only connection to `db` must close it first: DuckDB refuses a read-write
    and a read-only connection to one file in one process."""
    try:
        Store(db, wait_s=wait_s).close()
    except DatabaseLocked:
        return False
    return True


def submit_reviews(db: str | Path, reviews: Sequence[Review], notes: list[str] | None = None) -> bool:
    """Append to the journal (durable at once), then try_apply_journal(db). Notes on a repair of the
    journal's last line are added to `notes` when given, else printed as warnings."""
    said = append_journal(journal_path(db), reviews)
    if notes is not None:
        notes.extend(said)
    else:
        for msg in said:
            warn(msg)
    return try_apply_journal(db)


def pending_review_count(db: str | Path, known: set[str]) -> int:
    """How many reviews of the journal are not among `known` (the table's ids): written while busy."""
    try:
        scan = scan_journal(journal_path(db))
    except ReviewError:
        return 0
    return len({r.review_id for r in scan.reviews} - known)


def fingerprint(obj: object) -> str:
    """A short stable digest of an object's repr (used for the vocabulary a paper was extracted with)."""
    return hashlib.sha1(repr(obj).encode("utf-8")).hexdigest()[:12]
