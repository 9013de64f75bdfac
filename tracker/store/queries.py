"""Read queries: the one API of the CLI and the dashboard (see docs/ARCHITECTURE.md).

Every function takes a DuckDB connection (normally from `connect_readonly`) and returns a pandas
DataFrame unless noted. Values from a user are always bound parameters; the only SQL composed at run
time is made of the constant fragments below.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from tracker.store import pwc_docs

# --- documentation of every table and view (the source of docs/schema.md's column tables) ---

TABLE_DOCS: dict[str, str] = {
    "papers": "One row per paper (the reader's id is the key). Written by `tracker load`.",
    "claims": "One row per extracted number. Replaced as a whole when its paper changes.",
    "metrics": "Metric vocabulary: whether higher is better. Filled from the vocabulary files at load time; "
    "metrics found in claims but in no vocabulary are added with higher_is_better = true.",
    "datasets": "Dataset vocabulary: default task and standard metric per canonical dataset name; the curated entries "
    "and the field's datasets generated from public taxonomies (tracker/vocab/README.md), with their sources.",
    "tasks": "Task vocabulary: the curated tasks and the archive's task tree (area, parent), with their sources.",
    "units": "Scale of each unit to its base unit (value_si = value * scale).",
    "schema_version": "Which application and schema version wrote the file (for future migrations).",
    "claims_effective": "The claims as they count: extracted claims (origin 'extracted'), later merged with "
    "human reviews. Every leaderboard and export reads claims through this view.",
    "leaderboard_claims": "Every effective claim that can stand on a leaderboard: kind 'absolute', a model "
    "and a dataset, joined with its paper and the metric's direction.",
    "leaderboard": "For each (task, dataset, metric): the best claim per model, ranked by the metric's direction, "
    "own results and quoted baselines together (`role` says which; what `--with-baselines` shows). "
    "Reads the table leaderboard_best, which every write (load, review) rebuilds for the datasets it touched, "
    "in the same transaction.",
    "leaderboard_own": "The default board: for each (task, dataset, metric), each model's best own result (role 'own'), "
    "ranked among the own results alone (leaderboard_best rows of scope 'own'). Same columns as leaderboard.",
    "claim_comparators": "The models a paper's delta and ratio claims compare against (one of the facts behind `role`).",
    "leaderboards": "One row per available leaderboard, with counts. A table since the leaderboards are "
    "materialised: every write (load, review) rebuilds the rows of the datasets it touched, in the same transaction.",
    "reviews": "One row per human review (accept, reject, correct, add), in the order recorded. Written by "
    "`tracker review ...`, `tracker reviews import` and the dashboard's review page, always after the review "
    "was appended to the journal `<db>.reviews.jsonl`.",
    "claims_reviewable": "Every claim a review can point at: the extracted claims and the claims people added "
    "(before corrections; rejected ones included).",
    "review_resolution": "Every review with the current claim it attaches to (same claim_id, else same value "
    "and kind with an overlapping span), or none when it is orphaned.",
    "claim_reviews": "One row per reviewed claim: its status from the latest review and the accumulated corrections.",
}

_CLAIM_COLS: dict[str, str] = {
    "claim_id": "Stable id: digest of paper, span, value, metric, kind and model (`-2`... on a clash)",
    "paper_id": "The paper the claim is from (papers.paper_id)",
    "quote": "The evidence: abstract[start_offset:end_offset], verbatim",
    "start_offset": "Character offset of the quote in the abstract",
    "end_offset": "End offset (exclusive) of the quote in the abstract",
    "value": "The number as written (1.1B -> 1.1)",
    "value_si": "value scaled by its unit (K 1e3, M 1e6, B/G 1e9, T 1e12, ms 1e-3, min 60...); "
    "%, x, fps, dB and no unit unchanged. Leaderboards compare this",
    "unit": "%, x, K, M, B, T, G, ms, s, us, min, h, fps, dB, MB, GB, TB or NULL",
    "metric": "Canonical metric name (metrics.metric), or other:<name>",
    "kind": "absolute (a model's own number), delta (a difference) or ratio (multiplicative)",
    "model": "The model or method the number belongs to; (proposed) for the paper's unnamed method",
    "dataset": "Canonical dataset name or NULL",
    "task": "Canonical task name or NULL",
    "comparator": "For delta/ratio: what the model is compared with",
    "direction": "For delta/ratio: up or down",
    "conditions": "Settings that qualify the number (resolution, hardware, shots, ...)",
    "qualifier": "Hedge: more_than, up_to, about, at_least, less_than, only or NULL",
    "required": "false for a borderline claim",
    "extractor_version": "Version of the extractor that produced the claim",
}

_BOARD_COLS: dict[str, str] = {
    "rank": "1 = best; equal values share a rank",
    "task": "Task (may be NULL)",
    "dataset": "Dataset",
    "metric": "Metric",
    "model": "Model as written in its best claim",
    "value": "Its best value as written",
    "unit": "Unit as written",
    "value_si": "The value in base units (what is ranked)",
    "higher_is_better": "The metric's direction",
    "paper_id": "Paper of the best claim",
    "title": "Its title",
    "published": "Its date",
    "conditions": "Conditions of the best claim",
    "quote": "Evidence of the best claim",
    "claim_id": "The best claim",
    "origin": "extracted, reviewed or human (as in claims_effective)",
    "model_key": "Grouping key of the model",
    "sort_key": "Ranking key",
    "role": "own or baseline (as in leaderboard_claims)",
}

COLUMN_DOCS: dict[str, dict[str, str]] = {
    "papers": {
        "paper_id": "Stable id from the source (arXiv id, or the reader's id)",
        "title": "Title as in the source",
        "abstract": "Abstract as in the source; claim offsets point into it",
        "published": "Publication date, when the source gives one",
        "authors": "Author names",
        "url": "Link to the paper",
        "source": "Reader format it was loaded from (jsonl, arxiv_snapshot, hf_daily_text, ...)",
        "categories": "Subject categories (arXiv), may be empty",
        "content_hash": "Digest of title and abstract: a change means the claims are re-extracted",
        "extractor_version": "Extractor version the paper's claims were made with",
        "vocab_hash": "Digest of the vocabulary the claims were made with (a --vocab change re-extracts)",
        "loaded_at": "When this version of the paper was written",
    },
    "claims": _CLAIM_COLS,
    "metrics": {
        "metric": "Canonical metric name",
        "higher_is_better": "true: larger values rank first (accuracy); false: smaller first (fid, latency, params)",
        "family": "score, error, size, compute, speed, cost or other",
        "unit": "The metric's usual unit, when the vocabulary gives one",
        "aliases": "How abstracts write it",
        "direction_source": "How higher_is_better was decided: curated, source: lm-eval (a source says), rule: <group> (the family rule)",
        "metric_group": "Finer family the direction rule reads: accuracy, error, ap, f1, text_overlap, latency, size, ...",
        "value_range": "0-100 (a percentage), 0-1 (a fraction), -1-1 (a correlation), >=0 (FID, latency, size)",
        "variants": "Names that are this metric under a condition: AP50 -> box_ap with IoU=0.50, R@5 -> k=5",
        "context_aliases": "Ambiguous names (MS, SST, Overall): matched only with context, never on their own",
        "sources": "Where the entry comes from: curated, pwc, sota-extractor, lm-eval, mteb, torchmetrics",
    },
    "datasets": {
        "dataset": "Canonical dataset name",
        "task": "Task a number on this dataset is about when the text names none",
        "metric": "The benchmark's standard metric",
        "aliases": "How abstracts write it",
        "tasks": "Every task the sources list the dataset under, the default first",
        "metrics": "Its standard metrics, as the sources report them",
        "conditions": "Splits and settings the sources name it with (test-dev, val, 40% Symmetric Noise)",
        "context_aliases": "Ambiguous names: matched only with context, never on their own",
        "sources": "Where the entry comes from: curated, pwc, sota-extractor, lm-eval, mteb",
    },
    "tasks": {
        "task": "Canonical task name",
        "aliases": "How abstracts write it",
        "label": "The archive's name of the task (Visual Question Answering)",
        "area": "The archive's area: Computer Vision, Natural Language Processing, Audio, Other",
        "parent": "Parent task in the archive's tree",
        "report_as": "Nearest curated ancestor: the task a claim found by this task's name gets",
        "categories": "The archive's categories (Medical, Time Series, Graphs, ...)",
        "metrics": "The archive's SOTA metrics of the task",
        "context_aliases": "Ambiguous names: matched only with context, never on their own",
        "sources": "Where the entry comes from: curated, pwc, sota-extractor, mteb",
    },
    "units": {"unit": "Unit as stored in claims.unit", "scale": "Factor to the base unit"},
    "schema_version": {
        "app": "Always 'claimtrack'",
        "version": "Schema version",
        "applied_at": "When that version was written",
    },
    "claims_effective": {
        **_CLAIM_COLS,
        "origin": "'extracted' (as the extractor read it), 'reviewed' (a person accepted or corrected it) "
        "or 'human' (a person added it); rejected claims are left out",
    },
    "leaderboard_claims": {
        **_CLAIM_COLS,
        "origin": "As in claims_effective",
        "title": "Paper title",
        "published": "Paper date",
        "higher_is_better": "The metric's direction (unknown metrics: true)",
        "metric_unit": "The metric's usual unit from the vocabulary",
        "sort_key": "value_si negated when higher is better: ascending sort_key = best first",
        "model_key": "Grouping key of the model: lower(model), or (proposed)@paper_id for unnamed methods",
        "role": "own (the paper's own result) or baseline (a number it quotes for a model it did not introduce); "
        "see Own results and baselines",
    },
    "leaderboard": _BOARD_COLS,
    "leaderboard_own": _BOARD_COLS,
    "claim_comparators": {
        "paper_id": "The paper",
        "comparator_key": "A model its delta or ratio claims compare against (their comparator), without case and punctuation",
    },
    "leaderboards": {
        "task": "Task (may be NULL)",
        "dataset": "Dataset",
        "metric": "Metric",
        "higher_is_better": "The metric's direction",
        "unit": "The unit most of its claims use (else the metric's usual unit)",
        "models": "Number of models ranked",
        "claims": "Number of absolute claims behind it",
        "papers": "Number of papers behind it",
        "latest": "Date of the newest paper",
        "own_models": "Number of models with an own result (the size of the default board, leaderboard_own)",
    },
    "reviews": {
        "review_id": "Unique id of the review (a uuid); import is idempotent on it",
        "seq": "Order in which the review was recorded (the journal's order)",
        "paper_id": "Paper of the reviewed (or added) claim",
        "action": "accept, reject, correct or add",
        "anchor_claim_id": "claim_id of the reviewed claim when it was reviewed (NULL for add)",
        "anchor_value": "Its value as stored then (before corrections)",
        "anchor_metric": "Its metric then",
        "anchor_kind": "Its kind then",
        "anchor_start": "Start offset of its quote then",
        "anchor_end": "End offset of its quote then",
        "anchor_quote": "Its quote then",
        "changes": "correct: JSON object field -> new value (null clears a field)",
        "claim": "add: the whole claim as JSON (quote, start, end, value, metric, kind, ...)",
        "note": "The reviewer's note",
        "reviewer": "Who reviewed",
        "created_at": "When the review was made (UTC)",
        "applied_at": "When it was written to this table",
        "body": "The review exactly as in the journal (what `tracker reviews export` writes)",
    },
    "claims_reviewable": {**_CLAIM_COLS, "origin": "'extracted' or 'human' (added by a review)"},
    "review_resolution": {
        "review_id": "The review",
        "seq": "Order recorded",
        "review_order": "Order by created_at, then seq: the latest review of a claim has the highest",
        "created_at": "When the review was made (UTC)",
        "paper_id": "Paper of the review",
        "action": "accept, reject, correct or add",
        "claim_id": "The current claim it attaches to; NULL when orphaned",
        "matched_by": "claim_id (same id), overlap (same value and kind, overlapping span), added, or NULL",
        "state": "current (latest review of its claim), superseded, or orphaned (no current claim matches)",
        "anchor_claim_id": "As in reviews",
        "anchor_value": "As in reviews",
        "anchor_metric": "As in reviews",
        "anchor_kind": "As in reviews",
        "anchor_start": "As in reviews",
        "anchor_end": "As in reviews",
        "anchor_quote": "As in reviews",
        "changes": "As in reviews",
        "claim": "As in reviews",
        "note": "As in reviews",
        "reviewer": "As in reviews",
    },
    "claim_reviews": {
        "claim_id": "The reviewed claim (claims_reviewable.claim_id)",
        "status": "accepted, rejected, corrected or added: the latest review's action",
        "review_id": "The latest review",
        "note": "Its note",
        "reviewer": "Its reviewer",
        "reviewed_at": "When the claim was last reviewed",
        "reviews": "Number of reviews attached to the claim",
        **{
            f"fix_{f}": f"JSON value of the latest correction of {f} (NULL: never corrected)"
            for f in ("value", "unit", "metric", "kind", "model", "dataset", "task", "comparator", "direction",
                      "conditions", "qualifier")
        },  # fmt: skip
    },
}
VIEW_NAMES = (
    "claims_effective", "leaderboard_claims", "leaderboard", "leaderboard_own", "claim_comparators",
    "claims_reviewable", "review_resolution", "claim_reviews",
)  # fmt: skip

EXAMPLE_QUERIES: list[tuple[str, str]] = [
    ("Claims per metric", "SELECT metric, count(*) AS claims FROM claims GROUP BY 1 ORDER BY 2 DESC"),
    (
        "ImageNet-1K top-1 leaderboard",
        "SELECT rank, model, value, unit, title, published, quote\nFROM leaderboard\n"
        "WHERE dataset = 'ImageNet-1K' AND metric = 'top1_accuracy'\nORDER BY rank",
    ),
    (
        "Available leaderboards with at least 3 models",
        "SELECT task, dataset, metric, models, claims FROM leaderboards WHERE models >= 3 ORDER BY models DESC",
    ),
    (
        "Smallest models (parameters, 21.5M before 1.1B)",
        "SELECT model, value, unit, value_si, quote FROM claims_effective\n"
        "WHERE metric = 'params' AND kind = 'absolute' ORDER BY value_si LIMIT 20",
    ),
    (
        "Papers with the most claims",
        "SELECT p.title, count(*) AS claims FROM claims c JOIN papers p USING (paper_id)\n"
        "GROUP BY p.title ORDER BY claims DESC LIMIT 10",
    ),
    (
        "Improvements over a baseline (deltas)",
        "SELECT model, comparator, value, unit, metric, dataset, quote FROM claims_effective\n"
        "WHERE kind = 'delta' AND direction = 'up' ORDER BY value DESC LIMIT 20",
    ),
    (
        "Metrics where lower is better",
        "SELECT metric, family, unit FROM metrics WHERE NOT higher_is_better ORDER BY metric",
    ),
    (
        "Human-reviewed values on leaderboards",
        "SELECT dataset, metric, rank, model, value, unit, origin, title FROM leaderboard\n"
        "WHERE origin <> 'extracted' ORDER BY dataset, metric, rank",
    ),
    (
        "Orphaned reviews (their claim is gone)",
        "SELECT review_id, paper_id, action, anchor_value, anchor_metric, anchor_quote, note, created_at\n"
        "FROM review_resolution WHERE state = 'orphaned' ORDER BY created_at DESC",
    ),
    (
        "Claims in one paper, in text order",
        "SELECT start_offset, quote, value, unit, metric, kind, model FROM claims\n"
        "WHERE paper_id = (SELECT min(paper_id) FROM papers) ORDER BY start_offset",
    ),
]
# The archive's tables and views (tracker/store/pwc_docs.py), documented the same way.
TABLE_DOCS.update(pwc_docs.TABLE_DOCS)
COLUMN_DOCS.update(pwc_docs.COLUMN_DOCS)
VIEW_NAMES = (*VIEW_NAMES, *pwc_docs.VIEWS)
EXAMPLE_QUERIES += pwc_docs.EXAMPLE_QUERIES

# --- named queries ---

SQL_OVERVIEW = """
SELECT
    (SELECT count(*) FROM papers) AS papers,
    (SELECT count(*) FROM claims_effective) AS claims,
    (SELECT count(DISTINCT dataset) FROM claims_effective) AS datasets,
    (SELECT count(DISTINCT task) FROM claims_effective) AS tasks,
    (SELECT count(DISTINCT metric) FROM claims_effective) AS metrics,
    (SELECT count(DISTINCT model) FROM claims_effective) AS models
"""
SQL_CLAIMS_PER_METRIC = (
    "SELECT metric, count(*) AS claims FROM claims_effective GROUP BY metric ORDER BY claims DESC, metric"
)
SQL_CLAIMS_PER_TASK = (
    "SELECT task, count(*) AS claims FROM claims_effective WHERE task IS NOT NULL "
    "GROUP BY task ORDER BY claims DESC, task"
)
SQL_RECENT_PAPERS = """
SELECT p.paper_id, p.title, p.published, count(c.claim_id) AS claims, p.loaded_at
FROM papers p LEFT JOIN claims_effective c ON c.paper_id = p.paper_id
GROUP BY p.paper_id, p.title, p.published, p.loaded_at
ORDER BY p.loaded_at DESC, p.published DESC NULLS LAST, p.paper_id
LIMIT ?
"""
SQL_LEADERBOARD_INDEX = """
SELECT task, dataset, metric, higher_is_better, unit, models, claims, own_models
FROM leaderboards
ORDER BY models DESC, claims DESC, dataset, metric, task NULLS LAST
"""
# One (dataset, metric[, task]) leaderboard. With no task, the per-task bests are merged: the best of
# each model's per-task bests is its overall best.
SQL_LEADERBOARD = """
SELECT rank, model, value, unit, paper_id, title, published, conditions, quote, claim_id, origin, role
FROM leaderboard_best
WHERE scope = $scope AND dataset = $dataset AND metric = $metric AND task = $task
ORDER BY rank, published NULLS LAST, model, claim_id
LIMIT $limit
"""
# Without a task the per-task bests are merged (materialised in leaderboard_merged): the best of each
# model's per-task bests is its overall best.
SQL_LEADERBOARD_MERGED = """
SELECT rank, model, value, unit, paper_id, title, published, conditions, quote, claim_id, origin, role
FROM leaderboard_merged
WHERE scope = $scope AND dataset = $dataset AND metric = $metric
ORDER BY rank, published NULLS LAST, model, claim_id
LIMIT $limit
"""
# How many models a board ranks (the dashboard shows the first rows and says how many there are).
SQL_LEADERBOARD_SIZE = """
SELECT count(*) FROM leaderboard_best WHERE scope = $scope AND dataset = $dataset AND metric = $metric AND task = $task
"""
SQL_LEADERBOARD_MERGED_SIZE = (
    "SELECT count(*) FROM leaderboard_merged WHERE scope = $scope AND dataset = $dataset AND metric = $metric"
)
# "As reported by" beside each row of a board ({board}: one of the board queries above): how many other papers
# give a number for the model on this dataset and metric, the smallest and the largest (view reported_by, which
# starts from each model's own row; a model no other paper quotes gets NULLs).
SQL_BOARD_REPORTED = """
WITH board AS ({board}),
rb AS (SELECT lower(model) AS model_lower, other_papers, other_min, other_max FROM reported_by
       WHERE dataset = $dataset AND metric = $metric)
SELECT b.*, coalesce(rb.other_papers, 0) AS other_papers, rb.other_min, rb.other_max
FROM board b LEFT JOIN rb ON rb.model_lower = lower(b.model)
ORDER BY b.rank, b.published NULLS LAST, b.model, b.claim_id
"""
# A board of the claims published in [since, until] (undated claims are left out): each model's best
# dated claim in the range, ranked (from leaderboard_points, which holds every dated board claim with its
# unit-normalised value; the evidence from leaderboard_claims_merged).
SQL_LEADERBOARD_DATED = """
WITH pts AS (
    SELECT lp.*, CASE WHEN lp.model = '(proposed)' THEN '(proposed)@' || lp.paper_id ELSE lower(lp.model) END AS model_key
    FROM leaderboard_points lp
    WHERE lp.dataset = $dataset AND lp.metric = $metric AND ($task IS NULL OR lp.task = $task)
      AND ($since IS NULL OR lp.published >= $since) AND ($until IS NULL OR lp.published <= $until)
      AND ($scope = 'all' OR lp.role = 'own')
), best AS (
    SELECT * FROM pts QUALIFY row_number() OVER (PARTITION BY model_key ORDER BY sort_key, published, claim_id) = 1
)
SELECT rank() OVER (ORDER BY b.sort_key) AS rank, b.model, round(b.value_si / coalesce(u.scale, 1.0), 9) AS value, b.unit,
       b.paper_id, b.title, b.published, lc.conditions, lc.quote, b.claim_id, lc.origin, b.role
FROM best b
LEFT JOIN units u ON u.unit = b.unit
LEFT JOIN (SELECT DISTINCT ON (claim_id) claim_id, conditions, quote, origin FROM leaderboard_claims_merged
           WHERE dataset = $dataset AND metric = $metric) lc ON lc.claim_id = b.claim_id
ORDER BY rank, b.published, b.model, b.claim_id
LIMIT $limit
"""
# Every board (merged over tasks) where at least two of the given models meet (all boards of a single
# model), one row per model and board with its rank and evidence; boards where more of them meet first.
SQL_COMPARE = """
WITH picked AS (
    SELECT dataset, metric, rank, model_key, model, value, unit, paper_id, title, published, conditions, quote,
           claim_id, origin
    FROM leaderboard_merged WHERE scope = $scope AND list_contains($keys, model_key)
), boards AS (
    SELECT dataset, metric, count(DISTINCT model_key) AS meet FROM picked GROUP BY ALL
    HAVING count(DISTINCT model_key) >= least(2, len($keys))
), sizes AS (
    SELECT dataset, metric, count(*) AS board_size FROM leaderboard_merged
    WHERE scope = $scope AND (dataset, metric) IN (SELECT (dataset, metric) FROM boards) GROUP BY ALL
)
SELECT p.dataset, p.metric, p.model, p.rank, s.board_size, p.value, p.unit, p.title, p.published, p.conditions,
       p.quote, p.paper_id, p.claim_id, p.origin
FROM picked p JOIN boards b USING (dataset, metric) JOIN sizes s USING (dataset, metric)
ORDER BY b.meet DESC, p.dataset, p.metric, p.rank, p.model
"""
# The names models have on boards (for "did you mean").
SQL_BOARD_MODELS = "SELECT DISTINCT model FROM leaderboard_merged WHERE scope = 'all' AND model IS NOT NULL ORDER BY 1"
SQL_SOTA_OVER_TIME = """
WITH c AS (
    SELECT * FROM leaderboard_points
    WHERE dataset = $dataset AND metric = $metric AND ($task IS NULL OR task = $task)
      AND (len($origins::VARCHAR[]) = 0 OR list_contains($origins::VARCHAR[], origin))
      AND ($scope = 'all' OR role = 'own')
      AND ($since IS NULL OR published >= $since) AND ($until IS NULL OR published <= $until)
),
usual AS (
    SELECT first(unit ORDER BY n DESC, unit) AS unit
    FROM (SELECT unit, count(*) AS n FROM c WHERE unit IS NOT NULL GROUP BY unit)
),
scale AS (
    SELECT coalesce((SELECT u.scale FROM units u, usual WHERE u.unit = usual.unit), 1.0) AS s
),
r AS (
    SELECT c.* EXCLUDE (best_key, prev_key), scale.s,
           min(sort_key) OVER (ORDER BY published, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS best_key,
           min(sort_key) OVER (ORDER BY published, claim_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_key
    FROM c, scale
)
SELECT published,
       value_si / s AS value,
       model, title, paper_id, origin, role,
       (CASE WHEN higher_is_better THEN -best_key ELSE best_key END) / s AS running_best,
       (prev_key IS NULL OR sort_key < prev_key) AS is_record,
       count(*) OVER () AS dated_claims
FROM r
ORDER BY published, claim_id
"""
# All tasks of a (dataset, metric): the running best is materialised in leaderboard_points. With
# $max_points, every record plus every k-th other claim (k = total / $max_points) and the last one.
SQL_SOTA_ALL_TASKS = """
WITH c AS (
    SELECT * REPLACE (CASE WHEN $scope = 'own' THEN own_seq ELSE seq END AS seq,
                      CASE WHEN $scope = 'own' THEN own_best_key ELSE best_key END AS best_key,
                      CASE WHEN $scope = 'own' THEN own_prev_key ELSE prev_key END AS prev_key)
    FROM leaderboard_points WHERE dataset = $dataset AND metric = $metric AND ($scope = 'all' OR role = 'own')
),
usual AS (
    SELECT first(unit ORDER BY n DESC, unit) AS unit
    FROM (SELECT unit, count(*) AS n FROM c WHERE unit IS NOT NULL GROUP BY unit)
),
scale AS (
    SELECT coalesce((SELECT u.scale FROM units u, usual WHERE u.unit = usual.unit), 1.0) AS s,
           (SELECT count(*) FROM c) AS total,
           greatest(1, CAST(ceil((SELECT count(*) FROM c) / coalesce($max_points, 1)) AS BIGINT)) AS k
)
SELECT published,
       value_si / s AS value,
       model, title, paper_id, origin, role,
       (CASE WHEN higher_is_better THEN -best_key ELSE best_key END) / s AS running_best,
       (prev_key IS NULL OR sort_key < prev_key) AS is_record,
       total AS dated_claims
FROM c, scale
WHERE $max_points IS NULL OR prev_key IS NULL OR sort_key < prev_key OR seq % k = 0 OR seq = total
ORDER BY seq
"""
SQL_SOTA_THINNED = f"""
WITH s AS ({SQL_SOTA_OVER_TIME}),
n AS (SELECT *, row_number() OVER () AS i, count(*) OVER () AS total FROM s)
SELECT published, value, model, title, paper_id, origin, role, running_best, is_record, dated_claims
FROM n
WHERE is_record OR i % greatest(1, CAST(ceil(total / $max_points) AS BIGINT)) = 0 OR i = total
ORDER BY i
"""
SQL_SEARCH_PAPERS = """
SELECT p.paper_id, p.title, p.published, count(c.claim_id) AS claims
FROM papers p LEFT JOIN claims_effective c ON c.paper_id = p.paper_id
WHERE p.title ILIKE '%' || ? || '%' ESCAPE '\\'
GROUP BY p.paper_id, p.title, p.published
ORDER BY p.published DESC NULLS LAST, p.title
LIMIT ?
"""
SQL_GET_PAPER = "SELECT paper_id, title, abstract, published, authors, url, source FROM papers WHERE paper_id = ?"
SQL_PAPER_CLAIMS = "SELECT * FROM claims_effective WHERE paper_id = ? ORDER BY start_offset, end_offset, claim_id"
SQL_FILTER_OPTIONS = "SELECT DISTINCT {col} AS v FROM claims_effective WHERE {col} IS NOT NULL ORDER BY v"
FILTER_COLUMNS = ("metric", "dataset", "task", "kind", "qualifier", "origin")
SQL_EXPLORE_BASE = """
SELECT c.*, p.title, p.published
FROM claims_effective c JOIN papers p ON p.paper_id = c.paper_id
WHERE true"""
SQL_EXPLORE_FILTER = " AND list_contains(?::VARCHAR[], c.{col})"
SQL_EXPLORE_TEXT = " AND (c.model ILIKE '%' || ? || '%' ESCAPE '\\' OR c.quote ILIKE '%' || ? || '%' ESCAPE '\\')"
SQL_EXPLORE_ORDER = " ORDER BY p.published DESC NULLS LAST, c.paper_id, c.start_offset, c.claim_id"
SQL_EXPLORE_LIMIT = " LIMIT ?"
SQL_EXPLORE_SINCE = " AND p.published >= ?"
SQL_EXPLORE_UNTIL = " AND p.published <= ?"
SQL_CLAIM_TASKS = "SELECT claim_id, task FROM claims_effective WHERE list_contains(?::VARCHAR[], claim_id)"
SQL_PAPER_URLS = "SELECT paper_id, url FROM papers WHERE list_contains(?::VARCHAR[], paper_id)"
SQL_COLUMNS = """
SELECT table_name, column_name, data_type, ordinal_position
FROM information_schema.columns
WHERE table_schema = 'main' AND table_catalog = current_database()
ORDER BY table_name, ordinal_position
"""


# --- reviews ---
REVIEW_STATUSES = ("unreviewed", "accepted", "rejected", "corrected", "added")
# Every reviewable claim as it stands: the effective row, or for a rejected claim its stored row
# (corrections do not matter once rejected), with the review status and the latest note.
SQL_REVIEW_QUEUE = """
WITH q AS (
    SELECT claim_id, paper_id, quote, start_offset, end_offset, value, unit, metric, kind, model, dataset, task,
           comparator, direction, conditions, qualifier, origin
    FROM claims_effective
    UNION ALL
    SELECT b.claim_id, b.paper_id, b.quote, b.start_offset, b.end_offset, b.value, b.unit, b.metric, b.kind,
           b.model, b.dataset, b.task, b.comparator, b.direction, b.conditions, b.qualifier, 'rejected' AS origin
    FROM claims_reviewable b JOIN claim_reviews r ON r.claim_id = b.claim_id
    WHERE r.status = 'rejected'
)
SELECT coalesce(r.status, 'unreviewed') AS status, q.claim_id, q.paper_id, p.title, p.published, q.model,
       q.value, q.unit, q.metric, q.kind, q.dataset, q.task, q.comparator, q.direction, q.conditions,
       q.qualifier, q.quote, q.start_offset, q.end_offset, q.origin, r.reviewer, r.note, r.reviewed_at
FROM q
JOIN papers p ON p.paper_id = q.paper_id
LEFT JOIN claim_reviews r ON r.claim_id = q.claim_id
WHERE list_contains($statuses, coalesce(r.status, 'unreviewed'))
  AND ($no_datasets OR list_contains($datasets, q.dataset))
  AND ($no_metrics OR list_contains($metrics, q.metric))
  AND ($paper IS NULL OR q.paper_id = $paper)
  AND ($text IS NULL OR q.model ILIKE '%' || $text || '%' ESCAPE '\\' OR q.quote ILIKE '%' || $text || '%' ESCAPE '\\'
       OR p.title ILIKE '%' || $text || '%' ESCAPE '\\')
ORDER BY p.published DESC NULLS LAST, q.paper_id, q.start_offset, q.claim_id
LIMIT $limit
"""
SQL_FIND_CLAIM_IDS = """
SELECT claim_id FROM claims_reviewable
WHERE claim_id = $id OR (length($id) >= 6 AND starts_with(claim_id, $id))
ORDER BY claim_id = $id DESC, claim_id
LIMIT 5
"""
SQL_REVIEWABLE_CLAIM = "SELECT * FROM claims_reviewable WHERE claim_id = ?"
SQL_EFFECTIVE_CLAIM = "SELECT * FROM claims_effective WHERE claim_id = ?"
SQL_CLAIM_STATUS = "SELECT status FROM claim_reviews WHERE claim_id = ?"
SQL_REVIEW_COLUMNS = """
rr.created_at, rr.action, rr.state, rr.claim_id, rr.paper_id, p.title,
coalesce(ce.model, json_extract_string(rr.claim, '$.model')) AS model,
coalesce(rr.anchor_value, TRY_CAST(json_extract_string(rr.claim, '$.value') AS DOUBLE)) AS value,
coalesce(rr.anchor_metric, json_extract_string(rr.claim, '$.metric')) AS metric,
coalesce(rr.anchor_quote, json_extract_string(rr.claim, '$.quote')) AS quote,
CASE WHEN rr.action = 'correct' THEN CAST(rr.changes AS VARCHAR) END AS changes,
rr.note, rr.reviewer, rr.matched_by, rr.anchor_claim_id, rr.review_id
"""
SQL_RECENT_REVIEWS = f"""
SELECT {SQL_REVIEW_COLUMNS}
FROM review_resolution rr
LEFT JOIN papers p ON p.paper_id = rr.paper_id
LEFT JOIN claims_effective ce ON ce.claim_id = rr.claim_id
WHERE ($claim IS NULL OR rr.claim_id = $claim)
ORDER BY rr.review_order DESC
LIMIT $limit
"""
SQL_ORPHANED_REVIEWS = f"""
SELECT {SQL_REVIEW_COLUMNS}
FROM review_resolution rr
LEFT JOIN papers p ON p.paper_id = rr.paper_id
LEFT JOIN claims_effective ce ON ce.claim_id = rr.claim_id
WHERE rr.state = 'orphaned'
  AND ($paper IS NULL OR rr.paper_id = $paper)
  AND ($metric IS NULL OR coalesce(rr.anchor_metric, json_extract_string(rr.claim, '$.metric')) = $metric)
ORDER BY rr.review_order DESC
LIMIT $limit
"""
SQL_HAS_REVIEWS = (
    "SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND view_name = 'claim_reviews'"
)
NO_REVIEWS_HINT = (
    "this database was written before reviews existed; open it for writing once to upgrade it "
    "(e.g. `tracker load --db FILE` with any input, or `tracker review accept ...`)"
)
SQL_REVIEW_BODIES = "SELECT CAST(body AS VARCHAR) FROM reviews ORDER BY seq"
SQL_REVIEW_ROWS = "SELECT review_id, CAST(body AS VARCHAR) FROM reviews ORDER BY seq"
SQL_REVIEW_ID_LIST = "SELECT review_id FROM reviews"
SQL_REVIEW_COUNTS = """
SELECT
    (SELECT count(*) FROM reviews) AS reviews,
    (SELECT count(*) FROM review_resolution WHERE state = 'orphaned') AS orphaned,
    (SELECT count(*) FROM claim_reviews WHERE status = 'accepted') AS accepted,
    (SELECT count(*) FROM claim_reviews WHERE status = 'rejected') AS rejected,
    (SELECT count(*) FROM claim_reviews WHERE status = 'corrected') AS corrected,
    (SELECT count(*) FROM claim_reviews WHERE status = 'added') AS added
"""
SQL_KNOWN_VALUES = """
SELECT 'metric' AS kind, metric AS v FROM metrics UNION ALL SELECT 'dataset', dataset FROM datasets
UNION ALL SELECT 'task', task FROM tasks
"""


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pd.DataFrame:
    """The result as a DataFrame, through Arrow: about 3x faster than `.df()` on wide text results (the
    largest board at 10M claims, 143k rows: 170 -> 50 ms). Dates come back as datetime64, as with `.df()`."""
    table = con.sql(sql, params=params).to_arrow_table()
    return table.to_pandas(date_as_object=False)


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def overview_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    row = con.execute(SQL_OVERVIEW).fetchall()[0]  # fetchall: a pending result would block the next query
    keys = ("papers", "claims", "datasets", "tasks", "metrics", "models")
    return {k: int(v) for k, v in zip(keys, row)}


def claims_per_metric(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, SQL_CLAIMS_PER_METRIC)


def claims_per_task(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, SQL_CLAIMS_PER_TASK)


def recent_papers(con: duckdb.DuckDBPyConnection, limit: int = 10) -> pd.DataFrame:
    return _df(con, SQL_RECENT_PAPERS, [int(limit)])


def leaderboard_index(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return _df(con, SQL_LEADERBOARD_INDEX)


def _scope(with_baselines: bool) -> str:
    return "all" if with_baselines else "own"


def leaderboard(
    con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str, task: str | None = None, limit: int | None = None,
    since: date | None = None, until: date | None = None, with_baselines: bool = False, reported: bool = True,
) -> pd.DataFrame:
    """The board, best first; `limit` keeps the first rows (the dashboard; the export keeps them all).
    `since`/`until` (dates, inclusive): only claims of papers published in the range, undated ones left out.
    Own results only (each row's `role` is 'own'), unless `with_baselines`: then every model's best claim,
    the numbers papers quote for baselines included. With `reported`, the columns `other_papers, other_min,
    other_max`: what other papers give for the row's model (view reported_by)."""
    params = {"dataset": dataset, "metric": metric, "limit": int(limit) if limit is not None else 2**62,
              "scope": _scope(with_baselines)}  # fmt: skip
    if since is not None or until is not None:
        sql, params = SQL_LEADERBOARD_DATED, {**params, "task": task, "since": since, "until": until}
    elif task is None:
        sql = SQL_LEADERBOARD_MERGED
    else:
        sql, params = SQL_LEADERBOARD, {**params, "task": task}
    return _df(con, SQL_BOARD_REPORTED.format(board=sql) if reported else sql, params)


def compare_models(con: duckdb.DuckDBPyConnection, models: Sequence[str], *, with_baselines: bool = False) -> pd.DataFrame:
    """Every board where the models meet, side by side (`dataset, metric, model, rank, board_size, value,
    unit, title, published, conditions, quote, paper_id, claim_id, origin`). Names match case-insensitively,
    as boards group them; `(proposed)` is no one model and never matches. The boards of own results, unless
    `with_baselines` (then a model quoted as a baseline meets the others too)."""
    keys = sorted({m.strip().lower() for m in models if m.strip()})
    return _df(con, SQL_COMPARE, {"keys": keys, "scope": _scope(with_baselines)})


def board_models(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every model name that stands on a board."""
    return [r[0] for r in con.execute(SQL_BOARD_MODELS).fetchall()]


def leaderboard_size(
    con: duckdb.DuckDBPyConnection, *, dataset: str, metric: str, task: str | None = None, with_baselines: bool = False
) -> int:
    """The number of models on the board (its rows without a limit)."""
    params = {"dataset": dataset, "metric": metric, "scope": _scope(with_baselines)}
    if task is None:
        row = con.execute(SQL_LEADERBOARD_MERGED_SIZE, params).fetchall()
    else:
        row = con.execute(SQL_LEADERBOARD_SIZE, {**params, "task": task}).fetchall()
    return int(row[0][0])


def sota_over_time(
    con: duckdb.DuckDBPyConnection,
    *,
    dataset: str,
    metric: str,
    task: str | None = None,
    max_points: int | None = None,
    origins: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    with_baselines: bool = False,
) -> pd.DataFrame:
    """Every dated claim of a leaderboard in date order, `value` and `running_best` in the usual unit, and
    each claim's `origin` and `role`. With `max_points` (a chart): every record plus an even sample of the other
    claims, about that many rows. With `origins` (e.g. ["pwc"]): only claims of those origins, the running best and
    the records computed over them alone; `since`/`until` (inclusive): only papers published in the range (the
    running best starts at `since`). Own results only, unless `with_baselines`."""
    scope = _scope(with_baselines)
    if task is None and not origins and since is None and until is None:
        mp = max(1, int(max_points)) if max_points is not None else None
        return _df(con, SQL_SOTA_ALL_TASKS, {"dataset": dataset, "metric": metric, "max_points": mp, "scope": scope})
    params = {"dataset": dataset, "metric": metric, "task": task, "origins": list(origins), "scope": scope,
              "since": since, "until": until}  # fmt: skip
    if max_points is None:
        return _df(con, SQL_SOTA_OVER_TIME, params)
    return _df(con, SQL_SOTA_THINNED, {**params, "max_points": max(1, int(max_points))})


def search_papers(con: duckdb.DuckDBPyConnection, text: str, limit: int = 50) -> pd.DataFrame:
    return _df(con, SQL_SEARCH_PAPERS, [_like(text), int(limit)])


def get_paper(con: duckdb.DuckDBPyConnection, paper_id: str) -> dict[str, Any] | None:
    cur = con.execute(SQL_GET_PAPER, [paper_id])
    rows = cur.fetchall()  # not fetchone(): DuckDB refuses the next query while a result is unfinished
    if not rows:
        return None
    row = rows[0]
    return dict(zip([d[0] for d in cur.description], row))


def paper_claims(con: duckdb.DuckDBPyConnection, paper_id: str) -> pd.DataFrame:
    return _df(con, SQL_PAPER_CLAIMS, [paper_id])


def claim_filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    return {
        col: [r[0] for r in con.execute(SQL_FILTER_OPTIONS.format(col=col)).fetchall()] for col in FILTER_COLUMNS
    }


def explore_claims(
    con: duckdb.DuckDBPyConnection,
    *,
    metrics: Sequence[str] = (),
    datasets: Sequence[str] = (),
    tasks: Sequence[str] = (),
    kinds: Sequence[str] = (),
    qualifiers: Sequence[str] = (),
    origins: Sequence[str] = (),
    text: str | None = None,
    limit: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> pd.DataFrame:
    """Claims (reviews and the archive applied) with their paper's title and date, newest paper first; each
    filter a sequence of allowed values, empty for any (`origins`: extracted, reviewed, human, pwc);
    `since`/`until` (inclusive) keep papers published in the range (undated ones are then left out)."""
    sql, params = SQL_EXPLORE_BASE, []
    for bound, clause in ((since, SQL_EXPLORE_SINCE), (until, SQL_EXPLORE_UNTIL)):
        if bound is not None:
            sql += clause
            params.append(bound)
    for col, allowed in zip(FILTER_COLUMNS, (metrics, datasets, tasks, kinds, qualifiers, origins)):
        if allowed:
            sql += SQL_EXPLORE_FILTER.format(col=col)
            params.append([str(a) for a in allowed])
    if text:
        sql += SQL_EXPLORE_TEXT
        params += [_like(text), _like(text)]
    sql += SQL_EXPLORE_ORDER
    if limit is not None:
        sql += SQL_EXPLORE_LIMIT
        params.append(int(limit))
    return _df(con, sql, params)


def claim_tasks(con: duckdb.DuckDBPyConnection, claim_ids: Sequence[str]) -> dict[str, str | None]:
    """claim_id -> task for the given claims (the export's task column when no task was asked for)."""
    return dict(con.execute(SQL_CLAIM_TASKS, [list(claim_ids)]).fetchall())


def paper_urls(con: duckdb.DuckDBPyConnection, paper_ids: Sequence[str]) -> dict[str, str | None]:
    """paper_id -> the paper's url (the export's url column)."""
    return dict(con.execute(SQL_PAPER_URLS, [list(paper_ids)]).fetchall())


def schema_doc(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """`table_name, column_name, data_type, description` of the documented tables and views."""
    cols = _df(con, SQL_COLUMNS)
    cols = cols[cols["table_name"].isin(list(COLUMN_DOCS))].copy()
    cols["description"] = [
        COLUMN_DOCS[t].get(c, "") for t, c in zip(cols["table_name"], cols["column_name"])
    ]
    order = {t: i for i, t in enumerate(COLUMN_DOCS)}
    cols["_o"] = cols["table_name"].map(order)
    cols = cols.sort_values(["_o", "ordinal_position"])
    return cols[["table_name", "column_name", "data_type", "description"]].reset_index(drop=True)


def schema_markdown(con: duckdb.DuckDBPyConnection) -> str:
    """The column tables of docs/schema.md, generated from the database and COLUMN_DOCS."""
    doc = schema_doc(con)
    out: list[str] = []
    for table in COLUMN_DOCS:
        rows = doc[doc["table_name"] == table]
        kind = "view" if table in VIEW_NAMES else "table"
        out += [f"### `{table}` ({kind})", "", TABLE_DOCS[table], "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{r.column_name}` | {r.data_type} | {r.description} |" for r in rows.itertuples()]
        out.append("")
    return "\n".join(out)


# --- reviews ---


def review_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    statuses: Sequence[str] = (),
    datasets: Sequence[str] = (),
    metrics: Sequence[str] = (),
    paper: str | None = None,
    text: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Claims to review, as they stand now, with their review status (unreviewed, accepted, rejected,
    corrected, added); rejected claims are included here (and only here). Empty filter = any."""
    params = {
        "statuses": [str(x) for x in (statuses or REVIEW_STATUSES)],
        "no_datasets": not datasets, "datasets": [str(x) for x in datasets],
        "no_metrics": not metrics, "metrics": [str(x) for x in metrics],
        "paper": paper or None, "text": _like(text) if text else None,
        "limit": int(limit) if limit is not None else 2**62,
    }  # fmt: skip
    return _df(con, SQL_REVIEW_QUEUE, params)


def find_claim_ids(con: duckdb.DuckDBPyConnection, claim_id: str) -> list[str]:
    """Claim ids equal to `claim_id` or starting with it (a prefix of 6+ characters); exact match first."""
    return [r[0] for r in con.execute(SQL_FIND_CLAIM_IDS, {"id": claim_id}).fetchall()]


def _row(con: duckdb.DuckDBPyConnection, sql: str, params: Any) -> dict[str, Any] | None:
    cur = con.execute(sql, params)
    rows = cur.fetchall()
    return dict(zip([d[0] for d in cur.description], rows[0])) if rows else None


def review_target(con: duckdb.DuckDBPyConnection, claim_id: str) -> dict[str, Any] | None:
    """What a review of one claim needs: `base` (the stored row the anchor snapshots), `current` (the
    effective row, None when rejected), `status`, and the paper (`title`, `abstract`)."""
    base = _row(con, SQL_REVIEWABLE_CLAIM, [claim_id])
    if base is None:
        return None
    status = con.execute(SQL_CLAIM_STATUS, [claim_id]).fetchall()
    paper = get_paper(con, base["paper_id"]) or {}
    return {
        "base": base,
        "current": _row(con, SQL_EFFECTIVE_CLAIM, [claim_id]),
        "status": status[0][0] if status else "unreviewed",
        "title": paper.get("title"),
        "abstract": paper.get("abstract"),
    }


def recent_reviews(con: duckdb.DuckDBPyConnection, limit: int = 50, *, claim_id: str | None = None) -> pd.DataFrame:
    """The latest reviews first (of one claim when `claim_id` is given), with where each attached."""
    return _df(con, SQL_RECENT_REVIEWS, {"claim": claim_id, "limit": int(limit)})


def orphaned_reviews(
    con: duckdb.DuckDBPyConnection, *, paper: str | None = None, metric: str | None = None, limit: int | None = None
) -> pd.DataFrame:
    """Reviews whose claim no longer exists (no current claim matches the anchor), newest first."""
    params = {"paper": paper, "metric": metric, "limit": int(limit) if limit is not None else 2**62}
    return _df(con, SQL_ORPHANED_REVIEWS, params)


def review_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """`reviews, orphaned, accepted, rejected, corrected, added` (claims per status)."""
    cur = con.execute(SQL_REVIEW_COUNTS)
    row = cur.fetchall()[0]
    return {d[0]: int(v) for d, v in zip(cur.description, row)}


def has_reviews(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file has the reviews table and views (a file written before reviews existed has not,
    until a writable open such as `tracker load` or `tracker review accept` upgrades it)."""
    return con.execute(SQL_HAS_REVIEWS).fetchall()[0][0] > 0


def review_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(SQL_REVIEW_ID_LIST).fetchall()}


def review_bodies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every review as its journal line (JSON, no newline), in the order recorded."""
    return [r[0] for r in con.execute(SQL_REVIEW_BODIES).fetchall()]


def review_rows(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(review_id column, journal line) of every review, in the order recorded (a check compares the two)."""
    return [(r[0], r[1]) for r in con.execute(SQL_REVIEW_ROWS).fetchall()]


def known_values(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """The vocabulary's `metric`, `dataset` and `task` names (to warn about a typo in a correction)."""
    out: dict[str, set[str]] = {"metric": set(), "dataset": set(), "task": set()}
    for kind, v in con.execute(SQL_KNOWN_VALUES).fetchall():
        out[kind].add(v)
    return out
