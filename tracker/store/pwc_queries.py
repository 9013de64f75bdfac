"""Read queries over the archive and the conflicts between papers: the one API of `tracker pwc ...`,
`tracker conflicts` and the dashboard's Conflicts page (as queries.py is for the rest).

Every function takes a DuckDB connection and returns a pandas DataFrame unless noted; values from a
user are bound parameters.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from tracker.store.queries import _df

SQL_UNMAPPED = """
SELECT metric, list(DISTINCT pwc_metric ORDER BY pwc_metric) AS pwc_names, count(*) AS results,
       count(DISTINCT dataset) AS datasets, any_value(m.higher_is_better) AS higher_is_better
FROM pwc_results r LEFT JOIN metrics m USING (metric)
WHERE metric LIKE 'other:%'
GROUP BY metric
ORDER BY results DESC, metric
"""
SQL_DIFF_COUNTS = """
SELECT dataset, metric,
       count(*) FILTER (WHERE status = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE status = 'value differs') AS value_differs,
       count(*) FILTER (WHERE status = 'only in archive') AS only_in_archive,
       count(*) FILTER (WHERE status = 'only extracted') AS only_extracted,
       count(DISTINCT paper_id) AS papers
FROM pwc_diff
WHERE ($dataset IS NULL OR dataset = $dataset) AND ($metric IS NULL OR metric = $metric)
GROUP BY ALL
ORDER BY confirmed + value_differs + only_in_archive + only_extracted DESC, dataset, metric
"""
SQL_DIFF_ROWS = """
SELECT status, dataset, metric, paper_id, title, pwc_model, pwc_value_text, extracted_model, extracted_value,
       extracted_unit, quote, pwc_claim_id, extracted_claim_id
FROM pwc_diff
WHERE list_contains($statuses::VARCHAR[], status)
  AND ($dataset IS NULL OR dataset = $dataset) AND ($metric IS NULL OR metric = $metric)
ORDER BY dataset, metric, paper_id, pwc_claim_id NULLS LAST, extracted_claim_id
LIMIT $limit
"""
# Recall of the extractor at archive scale: of the archived results whose number appears in the paper's
# abstract, how many the extractor found (status 'confirmed').
SQL_RECALL = """
SELECT count(*) FILTER (WHERE value_in_abstract) AS in_abstract,
       count(*) FILTER (WHERE value_in_abstract AND status = 'confirmed') AS found,
       count(*) FILTER (WHERE status <> 'only extracted') AS archived,
       count(DISTINCT paper_id) AS papers
FROM pwc_diff
WHERE ($dataset IS NULL OR dataset = $dataset) AND ($metric IS NULL OR metric = $metric)
"""
SQL_CONFLICTS = """
SELECT model, dataset, metric, papers, claims, distinct_values, reported, min_value_si, max_value_si, spread,
       relative_spread, in_archive, in_abstracts, model_key
FROM claim_conflicts
WHERE ($dataset IS NULL OR dataset = $dataset) AND ($metric IS NULL OR metric = $metric)
  AND ($origin IS NULL OR ($origin = 'pwc' AND in_archive) OR ($origin <> 'pwc' AND in_abstracts))
ORDER BY relative_spread DESC NULLS LAST, papers DESC, model_key, dataset, metric
LIMIT $limit
"""
SQL_CONFLICT_CLAIMS = """
SELECT value, unit, model, paper_id, title, published, origin, quote, claim_id, task
FROM conflict_claims
WHERE model_key = ? AND dataset = ? AND metric = ?
ORDER BY rounded_si, published NULLS LAST, paper_id, claim_id
"""
SQL_REPORTED_BY = """
SELECT model, value, unit, other_papers, other_min, other_max, other_values, paper_id, claim_id
FROM reported_by WHERE dataset = ? AND metric = ?
ORDER BY other_papers DESC, model
"""
SQL_ORIGINS = "SELECT DISTINCT origin FROM claims_effective ORDER BY 1"


def unmapped_metrics(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`metric, pwc_names, results, datasets, higher_is_better`: archive metrics kept as other:<name>."""
    return _df(con, SQL_UNMAPPED)


def diff_counts(con: duckdb.DuckDBPyConnection, *, dataset: str | None = None, metric: str | None = None) -> pd.DataFrame:
    """Per (dataset, metric): confirmed, value_differs, only_in_archive, only_extracted, papers."""
    return _df(con, SQL_DIFF_COUNTS, {"dataset": dataset, "metric": metric})


def diff_rows(
    con: duckdb.DuckDBPyConnection, *, statuses: tuple[str, ...] = ("value differs",), dataset: str | None = None,
    metric: str | None = None, limit: int = 1000,
) -> pd.DataFrame:  # fmt: skip
    """The pwc_diff rows of the given statuses."""
    return _df(con, SQL_DIFF_ROWS, {"statuses": list(statuses), "dataset": dataset, "metric": metric, "limit": limit})


def extractor_recall(con: duckdb.DuckDBPyConnection, *, dataset: str | None = None, metric: str | None = None) -> dict[str, Any]:
    """`in_abstract, found, recall, archived, papers`: recall of the extractor on the archived results whose
    number is written in the abstract (None when there are none)."""
    row = con.execute(SQL_RECALL, {"dataset": dataset, "metric": metric}).fetchall()[0]
    in_abstract, found, archived, papers = (int(x or 0) for x in row)
    return {
        "in_abstract": in_abstract, "found": found, "recall": found / in_abstract if in_abstract else None,
        "archived": archived, "papers": papers,
    }  # fmt: skip


def conflicts(
    con: duckdb.DuckDBPyConnection, *, dataset: str | None = None, metric: str | None = None,
    origin: str | None = None, limit: int = 1000,
) -> pd.DataFrame:  # fmt: skip
    """claim_conflicts rows, largest relative spread first; `origin` 'pwc' keeps conflicts that involve the
    archive, any other origin those that involve the abstracts."""
    return _df(con, SQL_CONFLICTS, {"dataset": dataset, "metric": metric, "origin": origin, "limit": limit})


def conflict_claims(con: duckdb.DuckDBPyConnection, *, model_key: str, dataset: str, metric: str) -> pd.DataFrame:
    """Each paper's number (with its quote) behind one conflict."""
    return _df(con, SQL_CONFLICT_CLAIMS, [model_key, dataset, metric])


def reported_by(con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str) -> pd.DataFrame:
    """For the models of a (merged) board: how many other papers give a number for the same model, and which."""
    return _df(con, SQL_REPORTED_BY, [dataset, metric])


def origins(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The origins present in claims_effective (extracted, reviewed, human, pwc)."""
    return [r[0] for r in con.execute(SQL_ORIGINS).fetchall()]
