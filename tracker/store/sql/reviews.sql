-- Human reviews of claims (see tracker/reviews.py and docs/schema.md). Applied on every writable open,
-- after schema.sql and before views.sql (whose `claims_effective` reads `claim_reviews`).
--
-- A review points at its claim through an anchor (a snapshot of the claim as it was stored when it
-- was reviewed), not through the claim id alone, so that a re-extraction that re-cuts a quote or
-- renames a model does not lose it. `review_resolution` re-attaches every review to a current claim:
--   1. the claim with the anchor's claim_id (same paper), else
--   2. the claim of the same paper with the same kind and the anchor's value (or the value the
--      review corrected it to) whose span overlaps the anchor's span -- the anchor's quote is first
--      looked up again in the abstract when the text at the old offsets changed -- preferring the same
--      metric, then the nearest start, else
--   3. none: the review is 'orphaned' (kept, and listed by `tracker review list --status orphaned`).
-- Per claim, the latest review (created_at, then journal order) decides the status; the corrections
-- of all its reviews accumulate field by field (a later correction of a field wins).

CREATE TABLE IF NOT EXISTS reviews (
    review_id       VARCHAR PRIMARY KEY,
    seq             BIGINT NOT NULL,          -- order in which reviews were recorded (= journal order)
    paper_id        VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,         -- accept | reject | correct | add
    anchor_claim_id VARCHAR,
    anchor_value    DOUBLE,
    anchor_metric   VARCHAR,
    anchor_kind     VARCHAR,
    anchor_start    INTEGER,
    anchor_end      INTEGER,
    anchor_quote    VARCHAR,
    changes         JSON,                     -- correct: {field: new value}
    claim           JSON,                     -- add: the whole claim
    note            VARCHAR,
    reviewer        VARCHAR,
    created_at      TIMESTAMP NOT NULL,       -- UTC
    applied_at      TIMESTAMP NOT NULL DEFAULT current_timestamp,
    body            JSON NOT NULL             -- the review exactly as in the journal (what export writes)
);

-- Claims people added ('add' reviews) whose paper is loaded and whose quote is still in its abstract
-- (at the recorded offsets, else at its first occurrence).
CREATE OR REPLACE VIEW review_added_claims AS
WITH a AS (
    SELECT r.review_id, r.paper_id, r.claim,
           json_extract_string(r.claim, '$.quote') AS quote,
           CAST(json_extract(r.claim, '$.start') AS INTEGER) AS rec_start
    FROM reviews r
    WHERE r.action = 'add'
),
placed AS (
    SELECT a.*,
           CASE WHEN substr(p.abstract, a.rec_start + 1, length(a.quote)) = a.quote THEN a.rec_start
                ELSE strpos(p.abstract, a.quote) - 1 END AS start_offset
    FROM a JOIN papers p ON p.paper_id = a.paper_id
    WHERE strpos(p.abstract, a.quote) > 0
)
SELECT
    'h-' || substr(pl.review_id, 1, 14) AS claim_id,
    pl.paper_id,
    pl.quote,
    CAST(pl.start_offset AS INTEGER) AS start_offset,
    CAST(pl.start_offset + length(pl.quote) AS INTEGER) AS end_offset,
    CAST(json_extract(pl.claim, '$.value') AS DOUBLE) AS value,
    CAST(json_extract(pl.claim, '$.value') AS DOUBLE)
        * coalesce(u.scale, 1.0) AS value_si,
    json_extract_string(pl.claim, '$.unit') AS unit,
    json_extract_string(pl.claim, '$.metric') AS metric,
    json_extract_string(pl.claim, '$.kind') AS kind,
    json_extract_string(pl.claim, '$.model') AS model,
    json_extract_string(pl.claim, '$.dataset') AS dataset,
    json_extract_string(pl.claim, '$.task') AS task,
    json_extract_string(pl.claim, '$.comparator') AS comparator,
    json_extract_string(pl.claim, '$.direction') AS direction,
    json_extract_string(pl.claim, '$.conditions') AS conditions,
    json_extract_string(pl.claim, '$.qualifier') AS qualifier,
    coalesce(CAST(json_extract(pl.claim, '$.required') AS BOOLEAN), true) AS required,
    json_extract_string(pl.claim, '$.extractor_version') AS extractor_version,
    pl.review_id
FROM placed pl
LEFT JOIN units u ON u.unit = json_extract_string(pl.claim, '$.unit');

-- Every claim a review can point at: the extracted claims, the claims people added, the archived results.
CREATE OR REPLACE VIEW claims_reviewable AS
SELECT c.*, 'extracted' AS origin FROM claims c
UNION ALL
SELECT claim_id, paper_id, quote, start_offset, end_offset, value, value_si, unit, metric, kind, model,
       dataset, task, comparator, direction, conditions, qualifier, required, extractor_version,
       'human' AS origin
FROM review_added_claims
UNION ALL
SELECT *, 'pwc' AS origin FROM pwc_claims;  -- archived results (sql/pwc_tables.sql)

-- Every review with the current claim it attaches to (claim_id NULL when orphaned) and its state:
-- 'current' (the latest review of its claim), 'superseded' (a later review of the claim exists) or
-- 'orphaned' (no current claim matches its anchor).
CREATE OR REPLACE VIEW review_resolution AS
WITH r AS (
    SELECT rv.*,
           row_number() OVER (ORDER BY rv.created_at, rv.seq) AS review_order,
           TRY_CAST(json_extract_string(rv.changes, '$.value') AS DOUBLE) AS corrected_value
    FROM reviews rv
),
anchored AS (  -- the anchor's span, looked up again when the abstract changed under it
    SELECT r.review_id, r.paper_id, r.anchor_claim_id, r.anchor_value, r.anchor_kind, r.anchor_metric,
           r.corrected_value,
           CASE WHEN p.abstract IS NULL OR substr(p.abstract, r.anchor_start + 1, length(r.anchor_quote)) = r.anchor_quote
                     OR strpos(p.abstract, r.anchor_quote) = 0
                THEN r.anchor_start ELSE strpos(p.abstract, r.anchor_quote) - 1 END AS a_start,
           length(r.anchor_quote) AS a_len
    FROM r LEFT JOIN papers p ON p.paper_id = r.paper_id
    WHERE r.action <> 'add'
),
exact AS (
    SELECT a.review_id, b.claim_id
    FROM anchored a JOIN claims_reviewable b ON b.claim_id = a.anchor_claim_id AND b.paper_id = a.paper_id
),
near AS (
    SELECT a.review_id, b.claim_id,
           row_number() OVER (
               PARTITION BY a.review_id
               ORDER BY (b.metric = a.anchor_metric) DESC, abs(b.start_offset - a.a_start), b.start_offset, b.claim_id
           ) AS pick
    FROM anchored a
    JOIN claims_reviewable b
      ON b.paper_id = a.paper_id AND b.kind = a.anchor_kind
     AND (b.value = a.anchor_value OR b.value = a.corrected_value)
     AND b.start_offset < a.a_start + a.a_len AND a.a_start < b.end_offset
    WHERE a.review_id NOT IN (SELECT review_id FROM exact)
),
resolved AS (
    SELECT review_id, claim_id, 'claim_id' AS matched_by FROM exact
    UNION ALL
    SELECT review_id, claim_id, 'overlap' FROM near WHERE pick = 1
    UNION ALL
    SELECT review_id, claim_id, 'added' FROM review_added_claims
)
SELECT
    r.review_id, r.seq, r.review_order, r.created_at, r.paper_id, r.action,
    s.claim_id,
    s.matched_by,
    CASE WHEN s.claim_id IS NULL THEN 'orphaned'
         WHEN row_number() OVER (PARTITION BY s.claim_id ORDER BY r.review_order DESC) = 1 THEN 'current'
         ELSE 'superseded' END AS state,
    r.anchor_claim_id, r.anchor_value, r.anchor_metric, r.anchor_kind, r.anchor_start, r.anchor_end,
    r.anchor_quote, r.changes, r.claim, r.note, r.reviewer
FROM r LEFT JOIN resolved s ON s.review_id = r.review_id;

-- One row per reviewed claim: its status (from the latest review) and the accumulated corrections.
-- fix_<field> is the JSON value of the latest correction of that field (JSON null clears the field),
-- SQL NULL when no review corrected it.
CREATE OR REPLACE VIEW claim_reviews AS
WITH rr AS (
    SELECT * FROM review_resolution WHERE claim_id IS NOT NULL
)
SELECT
    claim_id,
    CASE arg_max(action, review_order)
        WHEN 'accept' THEN 'accepted' WHEN 'reject' THEN 'rejected'
        WHEN 'correct' THEN 'corrected' ELSE 'added' END AS status,
    arg_max(review_id, review_order) AS review_id,
    arg_max(note, review_order) AS note,
    arg_max(reviewer, review_order) AS reviewer,
    max(created_at) AS reviewed_at,
    count(*) AS reviews,
    arg_max(json_extract(changes, '$.value'), review_order) FILTER (WHERE json_exists(changes, '$.value')) AS fix_value,
    arg_max(json_extract(changes, '$.unit'), review_order) FILTER (WHERE json_exists(changes, '$.unit')) AS fix_unit,
    arg_max(json_extract(changes, '$.metric'), review_order) FILTER (WHERE json_exists(changes, '$.metric')) AS fix_metric,
    arg_max(json_extract(changes, '$.kind'), review_order) FILTER (WHERE json_exists(changes, '$.kind')) AS fix_kind,
    arg_max(json_extract(changes, '$.model'), review_order) FILTER (WHERE json_exists(changes, '$.model')) AS fix_model,
    arg_max(json_extract(changes, '$.dataset'), review_order) FILTER (WHERE json_exists(changes, '$.dataset')) AS fix_dataset,
    arg_max(json_extract(changes, '$.task'), review_order) FILTER (WHERE json_exists(changes, '$.task')) AS fix_task,
    arg_max(json_extract(changes, '$.comparator'), review_order) FILTER (WHERE json_exists(changes, '$.comparator')) AS fix_comparator,
    arg_max(json_extract(changes, '$.direction'), review_order) FILTER (WHERE json_exists(changes, '$.direction')) AS fix_direction,
    arg_max(json_extract(changes, '$.conditions'), review_order) FILTER (WHERE json_exists(changes, '$.conditions')) AS fix_conditions,
    arg_max(json_extract(changes, '$.qualifier'), review_order) FILTER (WHERE json_exists(changes, '$.qualifier')) AS fix_qualifier
FROM rr
GROUP BY claim_id;
