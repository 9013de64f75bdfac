-- Views over the archive and the extracted claims together (see docs/schema.md). Applied on every writable
-- open after views.sql (they read claims_effective and leaderboard_claims).

-- The best extracted claim of the same paper, dataset and metric for each archived claim: `agree` when
-- the two values are the same number within rounding (pwc_agree, sql/pwc_tables.sql).
CREATE OR REPLACE VIEW pwc_pairs AS
WITH a AS (
    SELECT claim_id, paper_id, dataset, metric, value, value_si FROM claims_effective WHERE origin = 'pwc'
),
e AS (
    SELECT claim_id, paper_id, dataset, metric, value, value_si, quote
    FROM claims_effective
    WHERE origin <> 'pwc' AND kind = 'absolute' AND dataset IS NOT NULL
      AND paper_id IN (SELECT paper_id FROM pwc_results)
),
pairs AS (
    SELECT a.claim_id AS pwc_claim_id, e.claim_id AS extracted_claim_id, e.quote,
           pwc_agree(a.value, a.value_si, e.value, e.value_si) AS agree,
           abs(a.value_si - e.value_si) AS gap
    FROM a JOIN e ON e.paper_id = a.paper_id AND e.dataset = a.dataset AND e.metric = a.metric
)
SELECT pwc_claim_id, extracted_claim_id, quote, agree
FROM (
    SELECT *, row_number() OVER (PARTITION BY pwc_claim_id ORDER BY agree DESC, gap, extracted_claim_id) AS pick
    FROM pairs
)
WHERE pick = 1;

-- Every archived result of a paper with an abstract, set against the claims extracted from that abstract:
-- 'confirmed' (an extracted claim of the same dataset and metric has the same value within rounding),
-- 'value differs' (there are such claims, none with that value), 'only in archive' (none), and every
-- extracted claim of those papers no archived result paired with: 'only extracted'.
CREATE OR REPLACE VIEW pwc_diff AS
WITH a AS (
    SELECT ce.claim_id, ce.paper_id, ce.dataset, ce.metric, ce.model, ce.value, ce.unit, r.value_text, r.number_text
    FROM claims_effective ce JOIN pwc_results r ON r.claim_id = ce.claim_id
    WHERE ce.origin = 'pwc'
),
p AS (
    SELECT paper_id, title, abstract FROM papers
    WHERE abstract <> '' AND paper_id IN (SELECT paper_id FROM pwc_results)
),
e AS (
    SELECT claim_id, paper_id, dataset, metric, model, value, unit, quote FROM claims_effective
    WHERE origin <> 'pwc' AND kind = 'absolute' AND dataset IS NOT NULL AND paper_id IN (SELECT paper_id FROM p)
)
SELECT
    a.paper_id, p.title, a.dataset, a.metric,
    CASE WHEN b.agree THEN 'confirmed' WHEN b.pwc_claim_id IS NOT NULL THEN 'value differs'
         ELSE 'only in archive' END AS status,
    a.claim_id AS pwc_claim_id, a.model AS pwc_model, a.value AS pwc_value, a.value_text AS pwc_value_text,
    e.claim_id AS extracted_claim_id, e.model AS extracted_model, e.value AS extracted_value,
    e.unit AS extracted_unit, e.quote,
    regexp_matches(p.abstract, '(^|[^0-9.])' || replace(a.number_text, '.', '\.') || '([^0-9]|$)') AS value_in_abstract
FROM a
JOIN p ON p.paper_id = a.paper_id
LEFT JOIN pwc_pairs b ON b.pwc_claim_id = a.claim_id
LEFT JOIN e ON e.claim_id = b.extracted_claim_id
UNION ALL
SELECT e.paper_id, p.title, e.dataset, e.metric, 'only extracted', NULL, NULL, NULL, NULL,
       e.claim_id, e.model, e.value, e.unit, e.quote, NULL
FROM e JOIN p ON p.paper_id = e.paper_id
WHERE e.claim_id NOT IN (SELECT extracted_claim_id FROM pwc_pairs);

-- leaderboard_claims with the archive merged in: an extracted claim that an archived result of the same
-- paper confirms is left out (the paper's result is listed once, as the archive's row, which then quotes
-- the abstract as its evidence). The materialised boards are built from this view.
CREATE OR REPLACE VIEW leaderboard_claims_merged AS
SELECT lc.* REPLACE (coalesce(t.quote, lc.quote) AS quote)
FROM leaderboard_claims lc
LEFT JOIN (SELECT pwc_claim_id, quote FROM pwc_pairs WHERE agree) t ON t.pwc_claim_id = lc.claim_id
WHERE lc.claim_id NOT IN (SELECT extracted_claim_id FROM pwc_pairs WHERE agree);

-- Every leaderboard claim of a named model (names compared without case and punctuation: ResNet-50 =
-- ResNet50 = resnet 50) on a (dataset, metric) that two or more papers report, with its value rounded to
-- the coarsest precision any of them uses (`value_step`): the claims behind claim_conflicts.
CREATE OR REPLACE VIEW conflict_claims AS
WITH c AS (
    SELECT lc.*, regexp_replace(lower(strip_accents(lc.model)), '[^a-z0-9]+', '', 'g') AS model_norm,
           power(10, -pwc_decimals(lc.value)) * CASE WHEN lc.value = 0 THEN 1 ELSE abs(lc.value_si / lc.value) END AS step
    FROM leaderboard_claims_merged lc
    WHERE lc.model <> '(proposed)'
),
g AS (
    SELECT model_norm, dataset, metric, max(step) AS value_step
    FROM c WHERE model_norm <> '' GROUP BY ALL HAVING count(DISTINCT paper_id) >= 2
)
SELECT c.model_norm AS model_key, c.dataset, c.metric, c.task, c.model, c.value, c.unit, c.value_si,
       round(c.value_si / g.value_step) * g.value_step AS rounded_si, g.value_step,
       c.paper_id, c.title, c.published, c.quote, c.claim_id, c.origin, c.higher_is_better
FROM c JOIN g USING (model_norm, dataset, metric);

-- The same model on the same dataset and metric reported with different values by different papers,
-- one row per (model, dataset, metric), largest relative spread first in `tracker conflicts`.
CREATE OR REPLACE VIEW claim_conflicts AS
WITH v AS (
    SELECT model_key, dataset, metric, rounded_si, min(value) AS value, min(unit) AS unit,
           count(DISTINCT paper_id) AS papers
    FROM conflict_claims GROUP BY ALL
),
s AS (
    SELECT model_key, dataset, metric,
           count(*) AS distinct_values,
           string_agg(CAST(value AS VARCHAR) || coalesce(unit, '') || ' in ' || papers
                      || CASE WHEN papers = 1 THEN ' paper' ELSE ' papers' END, ', '
                      ORDER BY papers DESC, rounded_si) AS reported
    FROM v GROUP BY ALL HAVING count(*) > 1
),
-- the spelling most claims use; a tie goes to the first in sort order (mode() breaks ties by row order, which
-- changes with anything upstream)
spelling AS (
    SELECT model_key, dataset, metric, model FROM (
        SELECT model_key, dataset, metric, model,
               row_number() OVER (PARTITION BY model_key, dataset, metric ORDER BY count(*) DESC, model) AS r
        FROM conflict_claims GROUP BY model_key, dataset, metric, model
    ) WHERE r = 1
)
SELECT s.model_key, any_value(sp.model) AS model, s.dataset, s.metric, count(DISTINCT c.paper_id) AS papers,
       count(*) AS claims, s.distinct_values, min(c.value_si) AS min_value_si, max(c.value_si) AS max_value_si,
       max(c.value_si) - min(c.value_si) AS spread,
       (max(c.value_si) - min(c.value_si)) / nullif(greatest(abs(max(c.value_si)), abs(min(c.value_si))), 0) AS relative_spread,
       s.reported, bool_or(c.origin = 'pwc') AS in_archive, bool_or(c.origin <> 'pwc') AS in_abstracts
FROM s JOIN conflict_claims c USING (model_key, dataset, metric) JOIN spelling sp USING (model_key, dataset, metric)
GROUP BY s.model_key, s.dataset, s.metric, s.distinct_values, s.reported;

-- "As reported by": for each row of a merged leaderboard of own results (a model's best own claim), the numbers
-- other papers give for the same model (names compared as in conflict_claims) on that dataset and metric.
CREATE OR REPLACE VIEW reported_by AS
WITH b AS (
    SELECT dataset, metric, model, paper_id, value, unit, claim_id,
           regexp_replace(lower(strip_accents(model)), '[^a-z0-9]+', '', 'g') AS model_norm
    FROM leaderboard_merged
    WHERE scope = 'own' AND model <> '(proposed)'
)
SELECT b.dataset, b.metric, b.model, b.paper_id, b.value, b.unit, b.claim_id,
       count(DISTINCT c.paper_id) AS other_papers,
       min(c.value) AS other_min, max(c.value) AS other_max,
       string_agg(DISTINCT CAST(c.value AS VARCHAR) || coalesce(c.unit, ''), ', ') AS other_values
FROM b
JOIN conflict_claims c ON c.model_key = b.model_norm AND c.dataset = b.dataset AND c.metric = b.metric
                      AND c.paper_id <> b.paper_id
GROUP BY ALL;
