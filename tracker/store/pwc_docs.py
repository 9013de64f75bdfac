"""Documentation of the archive's tables and views (merged into queries.TABLE_DOCS / COLUMN_DOCS, so that
`schema_doc`, the dashboard's SQL page and docs/schema.md describe them like the rest)."""

from __future__ import annotations

VIEWS = ("pwc_diff", "conflict_claims", "claim_conflicts", "reported_by")

TABLE_DOCS: dict[str, str] = {
    "pwc_results": "One row per archived result of Papers with Code (a metric of a row of one task x dataset "
    "table), as the file has it and as it was read. Written by `tracker pwc import`; importing a file of the "
    "same name again replaces its rows. The numbers are claims with origin 'pwc' (claims_effective).",
    "pwc_aliases": "Names the archive's datasets.json (full names, variants) and methods.json (full names) give "
    "its datasets and methods; the import maps table names through them.",
    "pwc_diff": "Every archived result of a paper with an abstract set against the claims extracted from it "
    "(same dataset and metric, value equal within rounding): confirmed, value differs, only in archive; and "
    "every extracted claim of those papers no archived result paired with: only extracted.",
    "conflict_claims": "The leaderboard claims behind claim_conflicts: a named model on a (dataset, metric) "
    "that two or more papers report, with its value rounded to the coarsest precision any of them uses.",
    "claim_conflicts": "The same model (names compared without case and punctuation) on the same dataset and "
    "metric reported with different values by different papers; one row per (model, dataset, metric).",
    "reported_by": "As reported by: for each row of a merged leaderboard (a model's best claim, from its paper), "
    "the numbers other papers give for the same model on that dataset and metric (baselines they quote).",
}

COLUMN_DOCS: dict[str, dict[str, str]] = {
    "pwc_results": {
        "claim_id": "pwc-<digest of file, task, dataset, model, paper and metric> (-2... for a repeat): stable across re-imports",
        "source": "The file it came from, without .gz (evaluation-tables.json)",
        "record": "Where in the file: task N 'name' > dataset N 'name' > row N",
        "paper_id": "The paper it is matched to (papers.paper_id; an archive-only paper when none matched)",
        "matched_by": "arxiv_id, url, title (normalised) or archive_only (a paper row made from the table's title, date, URL)",
        "pwc_task": "The (sub)task as the archive names it",
        "pwc_dataset": "The dataset as the archive names it (parent / subdataset for a subdataset)",
        "pwc_metric": "The metric as the archive names it",
        "model": "The row's model_name; (proposed) when blank",
        "paper_title": "The row's paper_title",
        "paper_url": "The row's paper_url",
        "paper_date": "The row's paper_date",
        "value_text": "The cell exactly as the file has it (84.1%, 0.8428 ± 0.0014, N/A)",
        "number_text": "The number as typed, without sign or trailing zeros (looked for in the abstract)",
        "value": "The number read from the cell; NULL when it holds none",
        "value_si": "value scaled by its unit, as in claims",
        "unit": "Unit written in the cell (%, M, K...) or in the metric's name (Params (M), GFLOPs); NULL otherwise",
        "spread": "± s written after the number",
        "problem": "Why value is NULL: no value (-, --, N/A, empty), not a number, more than a number (93.0/90.7)",
        "metric": "Canonical metric (the vocabulary's name for pwc_metric), or other:<name>",
        "dataset": "Canonical dataset, else the archive's name",
        "task": "Canonical task, else the archive's task name in snake_case",
        "uses_additional_data": "The row's uses_additional_data",
        "conditions": "uses additional data; ± spread",
    },
    "pwc_aliases": {
        "kind": "dataset or method",
        "alias": "A name the archive gives it (its name, full name or a variant)",
        "name": "The archive's name of the dataset or method",
        "task": "The dataset's first task",
        "source": "The file it came from (datasets.json, methods.json)",
    },
    "pwc_diff": {
        "paper_id": "The paper",
        "title": "Its title",
        "dataset": "Dataset of the pair",
        "metric": "Metric of the pair",
        "status": "confirmed, value differs, only in archive or only extracted",
        "pwc_claim_id": "The archived claim (NULL for only extracted)",
        "pwc_model": "Its model",
        "pwc_value": "Its value (reviews applied)",
        "pwc_value_text": "Its cell as the archive has it",
        "extracted_claim_id": "The extracted claim paired with it (same value when confirmed, the nearest when the value differs)",
        "extracted_model": "Its model",
        "extracted_value": "Its value",
        "extracted_unit": "Its unit",
        "quote": "Its evidence in the abstract",
        "value_in_abstract": "The archived number is written in the abstract (what the extractor's recall is measured on)",
    },
    "conflict_claims": {
        "model_key": "The model name without case and punctuation (resnet50)",
        "dataset": "Dataset",
        "metric": "Metric",
        "task": "Task",
        "model": "The model as this claim writes it",
        "value": "The value as written",
        "unit": "Its unit",
        "value_si": "value in base units",
        "rounded_si": "value_si rounded to value_step: equal values are the same reported number",
        "value_step": "The coarsest precision of the group (a unit of the last digit, in base units)",
        "paper_id": "The paper reporting it",
        "title": "Its title",
        "published": "Its date",
        "quote": "The evidence (the abstract's words, or the archive's cell)",
        "claim_id": "The claim",
        "origin": "extracted, reviewed, human or pwc",
        "higher_is_better": "The metric's direction",
    },
    "claim_conflicts": {
        "model_key": "The model name without case and punctuation",
        "model": "Its most common spelling",
        "dataset": "Dataset",
        "metric": "Metric",
        "papers": "Papers reporting the model on this dataset and metric",
        "claims": "Claims behind it",
        "distinct_values": "Different values (after rounding)",
        "min_value_si": "Smallest value, base units",
        "max_value_si": "Largest value, base units",
        "spread": "max - min, base units",
        "relative_spread": "spread / the larger magnitude",
        "reported": "76.1 in 9 papers, 79.8 in 3, ... (most papers first)",
        "in_archive": "One of the claims is an archived result",
        "in_abstracts": "One of the claims is from an abstract (extracted, reviewed or added)",
    },
    "reported_by": {
        "dataset": "Dataset of the board",
        "metric": "Metric of the board",
        "model": "The model (as its row writes it)",
        "paper_id": "The paper of its row",
        "value": "Its row's value",
        "unit": "Its unit",
        "claim_id": "Its row's claim",
        "other_papers": "Other papers that give a number for this model here",
        "other_min": "The smallest of those numbers",
        "other_max": "The largest",
        "other_values": "Those numbers, distinct",
    },
}

EXAMPLE_QUERIES: list[tuple[str, str]] = [
    (
        "Archive vs abstracts, per leaderboard",
        "SELECT dataset, metric, status, count(*) AS n FROM pwc_diff GROUP BY ALL ORDER BY dataset, metric, n DESC",
    ),
    (
        "Models reported with the most different values",
        "SELECT model, dataset, metric, papers, reported FROM claim_conflicts ORDER BY relative_spread DESC LIMIT 20",
    ),
]
