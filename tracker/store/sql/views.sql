-- claimtrack views (see docs/schema.md). Re-created on every writable open, so a new version of
-- claimtrack brings its view definitions along. Every leaderboard/export query reads claims
-- through `claims_effective`, the single place where human reviews are merged in.

-- Extracted and human-added claims (claims_reviewable) with their reviews (claim_reviews, sql/reviews.sql):
-- rejected claims are left out, corrected fields replace the extracted ones (value_si recomputed from
-- the units table when the value or the unit was corrected), and `origin` says where a row stands:
-- 'extracted' (no review), 'reviewed' (accepted or corrected by a person), 'human' (added by one) or
-- 'pwc' (an archived result of Papers with Code, reviewed or not).
CREATE OR REPLACE VIEW claims_effective AS
WITH merged AS (
    SELECT
        b.claim_id, b.paper_id, b.quote, b.start_offset, b.end_offset,
        CASE WHEN r.fix_value IS NULL THEN b.value ELSE CAST(r.fix_value AS DOUBLE) END AS value,
        b.value_si AS extracted_value_si,
        (r.fix_value IS NOT NULL OR r.fix_unit IS NOT NULL) AS rescale,
        CASE WHEN r.fix_unit IS NULL THEN b.unit ELSE json_extract_string(r.fix_unit, '$') END AS unit,
        CASE WHEN r.fix_metric IS NULL THEN b.metric ELSE json_extract_string(r.fix_metric, '$') END AS metric,
        CASE WHEN r.fix_kind IS NULL THEN b.kind ELSE json_extract_string(r.fix_kind, '$') END AS kind,
        CASE WHEN r.fix_model IS NULL THEN b.model ELSE json_extract_string(r.fix_model, '$') END AS model,
        CASE WHEN r.fix_dataset IS NULL THEN b.dataset ELSE json_extract_string(r.fix_dataset, '$') END AS dataset,
        CASE WHEN r.fix_task IS NULL THEN b.task ELSE json_extract_string(r.fix_task, '$') END AS task,
        CASE WHEN r.fix_comparator IS NULL THEN b.comparator ELSE json_extract_string(r.fix_comparator, '$') END AS comparator,
        CASE WHEN r.fix_direction IS NULL THEN b.direction ELSE json_extract_string(r.fix_direction, '$') END AS direction,
        CASE WHEN r.fix_conditions IS NULL THEN b.conditions ELSE json_extract_string(r.fix_conditions, '$') END AS conditions,
        CASE WHEN r.fix_qualifier IS NULL THEN b.qualifier ELSE json_extract_string(r.fix_qualifier, '$') END AS qualifier,
        b.required, b.extractor_version,
        CASE WHEN b.origin IN ('human', 'pwc') THEN b.origin
             WHEN r.status IN ('accepted', 'corrected') THEN 'reviewed'
             ELSE 'extracted' END AS origin
    FROM claims_reviewable b
    LEFT JOIN claim_reviews r ON r.claim_id = b.claim_id
    WHERE r.status IS DISTINCT FROM 'rejected'
)
SELECT
    m.claim_id, m.paper_id, m.quote, m.start_offset, m.end_offset, m.value,
    CASE WHEN NOT m.rescale THEN m.extracted_value_si
         WHEN m.unit IS NULL THEN m.value
         ELSE m.value * coalesce(u.scale, 1.0) END AS value_si,
    m.unit, m.metric, m.kind, m.model, m.dataset, m.task, m.comparator, m.direction, m.conditions,
    m.qualifier, m.required, m.extractor_version, m.origin
FROM merged m
LEFT JOIN units u ON u.unit = m.unit;

-- Every claim that can stand on a leaderboard: an absolute number about a named model on a named
-- dataset, with the metric's direction and a sort key that puts the best value first.
CREATE OR REPLACE VIEW leaderboard_claims AS
SELECT
    ce.*,
    p.title,
    p.published,
    coalesce(m.higher_is_better, true) AS higher_is_better,
    m.unit AS metric_unit,
    CASE WHEN coalesce(m.higher_is_better, true) THEN -ce.value_si ELSE ce.value_si END AS sort_key,
    -- "(proposed)" is each paper's own unnamed method: one entry per paper, not one for all papers.
    CASE WHEN ce.model = '(proposed)' THEN '(proposed)@' || ce.paper_id ELSE lower(ce.model) END AS model_key
FROM claims_effective ce
JOIN papers p ON p.paper_id = ce.paper_id
LEFT JOIN metrics m ON m.metric = ce.metric
WHERE ce.kind = 'absolute' AND ce.model IS NOT NULL AND ce.dataset IS NOT NULL;

-- The best claim per model for each (task, dataset, metric), ranked by the metric's direction. The best
-- claims are materialised in `leaderboard_best` (rebuilt inside every write transaction).
CREATE OR REPLACE VIEW leaderboard AS
SELECT
    rank, task, dataset, metric, model, value, unit, value_si, higher_is_better,
    paper_id, title, published, conditions, quote, claim_id, origin, model_key, sort_key
FROM leaderboard_best;

-- `leaderboards` (one row per available leaderboard) is a table since schema 2 + materialisation: see schema.sql.
