-- claimtrack views (see docs/schema.md). Re-created on every writable open, so a new version of
-- claimtrack brings its view definitions along. Every leaderboard/export query reads claims
-- through `claims_effective`, the single place where human reviews are merged in.

CREATE OR REPLACE VIEW claims_effective AS
SELECT c.*, 'extracted' AS origin
FROM claims c;

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

-- The best claim per model for each (task, dataset, metric), ranked by the metric's direction.
CREATE OR REPLACE VIEW leaderboard AS
WITH best AS (
    SELECT *,
           row_number() OVER (
               PARTITION BY task, dataset, metric, model_key
               ORDER BY sort_key, published NULLS LAST, claim_id
           ) AS pick
    FROM leaderboard_claims
)
SELECT
    rank() OVER (PARTITION BY task, dataset, metric ORDER BY sort_key) AS rank,
    task, dataset, metric, model, value, unit, value_si, higher_is_better,
    paper_id, title, published, conditions, quote, claim_id, origin, model_key, sort_key
FROM best
WHERE pick = 1;

-- One row per available leaderboard; `unit` is the unit most of its claims use.
CREATE OR REPLACE VIEW leaderboards AS
WITH per_unit AS (
    SELECT task, dataset, metric, unit, count(*) AS n
    FROM leaderboard_claims
    WHERE unit IS NOT NULL
    GROUP BY ALL
),
usual_unit AS (
    SELECT task, dataset, metric, first(unit ORDER BY n DESC, unit) AS unit
    FROM per_unit
    GROUP BY ALL
),
agg AS (
    SELECT task, dataset, metric,
           bool_and(higher_is_better) AS higher_is_better,
           any_value(metric_unit) AS metric_unit,
           count(DISTINCT model_key) AS models,
           count(*) AS claims,
           count(DISTINCT paper_id) AS papers,
           max(published) AS latest
    FROM leaderboard_claims
    GROUP BY ALL
)
SELECT a.task, a.dataset, a.metric, a.higher_is_better,
       coalesce(u.unit, a.metric_unit) AS unit,
       a.models, a.claims, a.papers, a.latest
FROM agg a
LEFT JOIN usual_unit u
  ON u.task IS NOT DISTINCT FROM a.task AND u.dataset = a.dataset AND u.metric = a.metric;
