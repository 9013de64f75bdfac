"""The archive import's writes: results and aliases staged in temporary tables, published in the load's
one transaction (Store.publish(then=...)).

Staging is per connection (TEMP tables): a failed or killed import leaves nothing behind. Publishing
matches every staged result to a paper (arXiv id, else URL, else normalised title, else an
archive-only paper is created with an empty abstract), replaces the rows of the files imported again,
adds the metrics the vocabulary does not know (direction guessed by tracker.pwc.names) and marks the
touched leaderboards for the rebuild at commit. All SQL of it is here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from tracker.store.store import Store

STAGE_SCHEMA = pa.schema([
    ("claim_id", pa.string()), ("source", pa.string()), ("record", pa.string()), ("pwc_task", pa.string()),
    ("pwc_dataset", pa.string()), ("pwc_metric", pa.string()), ("model", pa.string()), ("paper_title", pa.string()),
    ("paper_url", pa.string()), ("paper_date", pa.date32()), ("value_text", pa.string()), ("number_text", pa.string()),
    ("value", pa.float64()), ("value_si", pa.float64()), ("unit", pa.string()), ("spread", pa.string()),
    ("problem", pa.string()), ("metric", pa.string()), ("dataset", pa.string()), ("task", pa.string()),
    ("uses_additional_data", pa.bool_()), ("conditions", pa.string()), ("arxiv_id", pa.string()),
    ("slug", pa.string()), ("stub_id", pa.string()), ("stub_title", pa.string()), ("higher_is_better", pa.bool_()),
])  # fmt: skip
ALIAS_SCHEMA = pa.schema([
    ("kind", pa.string()), ("alias", pa.string()), ("name", pa.string()), ("task", pa.string()), ("source", pa.string()),
])  # fmt: skip

SQL_STAGE_CREATE = (
    "CREATE OR REPLACE TEMP TABLE _pwc_stage AS SELECT * FROM _pwc_stage_empty",
    "CREATE OR REPLACE TEMP TABLE _pwc_alias_stage AS SELECT * FROM _pwc_alias_empty",
)
SQL_STAGE_DROP = tuple(f"DROP TABLE IF EXISTS {t}" for t in ("_pwc_stage", "_pwc_alias_stage", "_pwc_resolved", "_pwc_touched"))
SQL_STAGE_INSERT = "INSERT INTO _pwc_stage SELECT * FROM _pwc_batch"
SQL_ALIAS_INSERT = "INSERT INTO _pwc_alias_stage SELECT * FROM _pwc_alias_batch"
SQL_KNOWN_ALIASES = "SELECT kind, alias, name, task FROM pwc_aliases WHERE NOT list_contains(?::VARCHAR[], source) ORDER BY kind, alias"

# Each staged result's paper: a paper loaded from anywhere but the archive itself, by arXiv id (the id of
# the arXiv readers and of papers-with-abstracts.json), by the archive's slug (its papers without an arXiv
# id are named by it), by URL, by normalised title; else its archive-only paper (stub_id).
SQL_RESOLVE = """
CREATE OR REPLACE TEMP TABLE _pwc_resolved AS
WITH real AS (SELECT paper_id, title, url FROM papers WHERE source <> 'pwc'),
titles AS (
    SELECT pwc_title_key(title) AS k, min(paper_id) AS paper_id FROM real
    WHERE pwc_title_key(title) IN (SELECT pwc_title_key(paper_title) FROM _pwc_stage WHERE paper_title <> '')
    GROUP BY 1
),
urls AS (
    SELECT pwc_url_key(url) AS k, min(paper_id) AS paper_id FROM real
    WHERE url IS NOT NULL AND pwc_url_key(url) IN (SELECT pwc_url_key(paper_url) FROM _pwc_stage WHERE paper_url <> '')
    GROUP BY 1
)
SELECT s.*,
       coalesce(ra.paper_id, rs.paper_id, u.paper_id, t.paper_id, s.stub_id) AS paper_id,
       CASE WHEN ra.paper_id IS NOT NULL THEN 'arxiv_id'
            WHEN rs.paper_id IS NOT NULL OR u.paper_id IS NOT NULL THEN 'url'
            WHEN t.paper_id IS NOT NULL THEN 'title'
            ELSE 'archive_only' END AS matched_by
FROM _pwc_stage s
LEFT JOIN real ra ON ra.paper_id = s.arxiv_id
LEFT JOIN real rs ON rs.paper_id = s.slug
LEFT JOIN urls u ON u.k = pwc_url_key(s.paper_url) AND s.paper_url <> ''
LEFT JOIN titles t ON t.k = pwc_title_key(s.paper_title) AND s.paper_title <> ''
"""
SQL_TOUCHED = """
CREATE OR REPLACE TEMP TABLE _pwc_touched AS
SELECT paper_id FROM pwc_results WHERE list_contains($sources::VARCHAR[], source)
UNION SELECT paper_id FROM _pwc_resolved
"""
# Archive-only papers: the title, date and URL the tables give, no abstract (nothing to extract). A later
# load of the real paper (same arXiv id or slug) replaces the row; the archived results stay attached.
SQL_ADD_STUBS = """
INSERT INTO papers (paper_id, title, abstract, published, authors, url, source, categories, content_hash,
                    extractor_version, vocab_hash, loaded_at)
SELECT paper_id, min(stub_title), '', min(paper_date), []::VARCHAR[], min(nullif(paper_url, '')), 'pwc', []::VARCHAR[],
       'pwc-archive-only', $version, $vocab_hash, CAST(current_timestamp AS TIMESTAMP)
FROM _pwc_resolved
WHERE matched_by = 'archive_only' AND paper_id NOT IN (SELECT paper_id FROM papers)
GROUP BY paper_id
"""
SQL_REPLACE_RESULTS = (
    "DELETE FROM pwc_results WHERE list_contains($sources::VARCHAR[], source)",
    """INSERT INTO pwc_results BY NAME
       SELECT claim_id, source, record, paper_id, matched_by, pwc_task, pwc_dataset, pwc_metric, model, paper_title,
              paper_url, paper_date, value_text, number_text, value, value_si, unit, spread, problem, metric, dataset,
              task, uses_additional_data, conditions
       FROM _pwc_resolved""",
)
SQL_REPLACE_ALIASES = (
    "DELETE FROM pwc_aliases WHERE list_contains($sources::VARCHAR[], source)",
    "INSERT INTO pwc_aliases SELECT DISTINCT * FROM _pwc_alias_stage",
)
# Metrics no vocabulary has: their guessed direction, the archive's names for them as aliases.
SQL_ADD_METRICS = """
INSERT INTO metrics (metric, higher_is_better, family, unit, aliases)
SELECT metric, bool_and(higher_is_better), 'other', NULL, list(DISTINCT pwc_metric ORDER BY pwc_metric)
FROM _pwc_resolved
WHERE metric NOT IN (SELECT metric FROM metrics)
GROUP BY metric
"""
SQL_MATCH_COUNTS = "SELECT matched_by, count(*) FROM _pwc_resolved GROUP BY 1"
SQL_STUBS_NEW = (
    "SELECT count(DISTINCT paper_id) FROM _pwc_resolved WHERE matched_by = 'archive_only' "
    "AND paper_id NOT IN (SELECT paper_id FROM papers)"
)


def begin(con: duckdb.DuckDBPyConnection) -> None:
    """Empty staging tables for one import."""
    con.register("_pwc_stage_empty", STAGE_SCHEMA.empty_table())
    con.register("_pwc_alias_empty", ALIAS_SCHEMA.empty_table())
    try:
        for stmt in SQL_STAGE_CREATE:
            con.execute(stmt)
    finally:
        con.unregister("_pwc_stage_empty")
        con.unregister("_pwc_alias_empty")


def discard(con: duckdb.DuckDBPyConnection) -> None:
    for stmt in SQL_STAGE_DROP:
        con.execute(stmt)


def stage_results(con: duckdb.DuckDBPyConnection, rows: dict[str, list[Any]]) -> None:
    """Add a batch of results (columns of STAGE_SCHEMA) to the staging table."""
    table = pa.table([pa.array(rows[f.name], f.type) for f in STAGE_SCHEMA], schema=STAGE_SCHEMA)
    con.register("_pwc_batch", table)
    try:
        con.execute(SQL_STAGE_INSERT)
    finally:
        con.unregister("_pwc_batch")


def stage_aliases(con: duckdb.DuckDBPyConnection, rows: Sequence[tuple[str, str, str, str | None, str]]) -> None:
    cols = list(zip(*rows)) if rows else [[] for _ in ALIAS_SCHEMA]
    table = pa.table([pa.array(list(c), f.type) for c, f in zip(cols, ALIAS_SCHEMA)], schema=ALIAS_SCHEMA)
    con.register("_pwc_alias_batch", table)
    try:
        con.execute(SQL_ALIAS_INSERT)
    finally:
        con.unregister("_pwc_alias_batch")


def known_aliases(con: duckdb.DuckDBPyConnection, except_sources: Sequence[str]) -> list[tuple[str, str, str, str | None]]:
    """Aliases earlier imports stored, but those of the files being imported again."""
    return [tuple(r) for r in con.execute(SQL_KNOWN_ALIASES, [list(except_sources)]).fetchall()]  # type: ignore[misc]


def publish(
    store: Store, *, result_sources: Sequence[str], alias_sources: Sequence[str], extractor_version: str, vocab_hash: str
) -> dict[str, int]:
    """Inside the publish transaction: match, add archive-only papers, replace results and aliases, add
    unknown metrics, mark the boards to rebuild. Returns counts by match kind (+ 'new_archive_only')."""
    con = store.con
    counts: Counter[str] = Counter()
    if result_sources:
        con.execute(SQL_RESOLVE)
        params = {"sources": list(result_sources)}
        con.execute(SQL_TOUCHED, params)
        store.mark_papers(table="_pwc_touched")  # boards of the rows replaced
        counts.update({k: int(n) for k, n in con.execute(SQL_MATCH_COUNTS).fetchall()})
        counts["new_archive_only"] = int(con.execute(SQL_STUBS_NEW).fetchall()[0][0])
        con.execute(SQL_ADD_STUBS, {"version": extractor_version, "vocab_hash": vocab_hash})
        for stmt in SQL_REPLACE_RESULTS:
            con.execute(stmt, params) if "$sources" in stmt else con.execute(stmt)
        con.execute(SQL_ADD_METRICS)
        store.mark_papers(table="_pwc_touched")  # and of the rows written
    if alias_sources:
        con.execute(SQL_REPLACE_ALIASES[0], {"sources": list(alias_sources)})
        con.execute(SQL_REPLACE_ALIASES[1])
    return dict(counts)
