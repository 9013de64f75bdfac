-- Papers with Code's archive (see tracker/pwc/ and docs/schema.md). Applied on every writable open after
-- schema.sql and before reviews.sql, whose `claims_reviewable` reads `pwc_claims`.

-- One row per archived result: a metric of a row of one of the archive's task x dataset tables, as the
-- file has it (value_text) and as it was read (value, unit; NULL with `problem` when it is not a number).
-- Written by `tracker pwc import`, which replaces the rows of a file (`source`) it imports again.
CREATE TABLE IF NOT EXISTS pwc_results (
    claim_id             VARCHAR PRIMARY KEY,
    source               VARCHAR NOT NULL,
    record               VARCHAR NOT NULL,
    paper_id             VARCHAR NOT NULL,
    matched_by           VARCHAR NOT NULL,
    pwc_task             VARCHAR NOT NULL,
    pwc_dataset          VARCHAR NOT NULL,
    pwc_metric           VARCHAR NOT NULL,
    model                VARCHAR NOT NULL,
    paper_title          VARCHAR,
    paper_url            VARCHAR,
    paper_date           DATE,
    value_text           VARCHAR,
    number_text          VARCHAR,
    value                DOUBLE,
    value_si             DOUBLE,
    unit                 VARCHAR,
    spread               VARCHAR,
    problem              VARCHAR,
    metric               VARCHAR NOT NULL,
    dataset              VARCHAR NOT NULL,
    task                 VARCHAR,
    uses_additional_data BOOLEAN,
    conditions           VARCHAR
);

-- Names the archive's datasets.json and methods.json give their datasets and methods (full names,
-- variants): the import maps table names through them.
CREATE TABLE IF NOT EXISTS pwc_aliases (
    kind   VARCHAR NOT NULL,
    alias  VARCHAR NOT NULL,
    name   VARCHAR NOT NULL,
    task   VARCHAR,
    source VARCHAR NOT NULL
);

-- The archived results that are numbers, in the shape of `claims`: what claims_reviewable adds with
-- origin 'pwc'. The quote is the archive's cell ("Top 1 Accuracy: 84.1%"), which is not in the abstract:
-- its offsets start at the abstract's end (so no highlight marks it and no review anchor of an extracted
-- claim overlaps it), and end - start = length(quote), as for every claim.
CREATE OR REPLACE VIEW pwc_claims AS
WITH r AS (
    SELECT r.*, r.pwc_metric || ': ' || r.value_text AS quote, CAST(coalesce(length(p.abstract), 0) AS INTEGER) AS abstract_end
    FROM pwc_results r LEFT JOIN papers p ON p.paper_id = r.paper_id
    WHERE r.value IS NOT NULL
)
SELECT
    claim_id, paper_id, quote, abstract_end AS start_offset, CAST(abstract_end + length(quote) AS INTEGER) AS end_offset,
    value, value_si, unit, metric, 'absolute' AS kind, model, dataset, task,
    CAST(NULL AS VARCHAR) AS comparator, CAST(NULL AS VARCHAR) AS direction, conditions,
    CAST(NULL AS VARCHAR) AS qualifier, true AS required, 'pwc' AS extractor_version
FROM r;

-- Keys the import matches papers by, and the test of "the same number within rounding": a and b (as
-- written, and scaled to base units) agree when they differ by at most half a unit of the last digit of
-- the less precise one, or do so once a fraction (0.8428) is read as a percentage (84.28).
CREATE OR REPLACE MACRO pwc_title_key(t) AS regexp_replace(lower(strip_accents(t)), '[^a-z0-9]+', '', 'g');
CREATE OR REPLACE MACRO pwc_url_key(u) AS
    regexp_replace(regexp_replace(lower(trim(u)), '^https?://(www\.)?', ''), '[/#?]+$', '');
CREATE OR REPLACE MACRO pwc_decimals(v) AS
    CASE WHEN strpos(CAST(v AS VARCHAR), 'e') > 0 OR strpos(CAST(v AS VARCHAR), '.') = 0 THEN 0
         ELSE length(split_part(CAST(v AS VARCHAR), '.', 2)) END;
CREATE OR REPLACE MACRO pwc_close(a, a_si, b, b_si) AS
    abs(a_si - b_si) <= 0.5 * greatest(
        power(10, -pwc_decimals(a)) * CASE WHEN a = 0 THEN 1 ELSE abs(a_si / a) END,
        power(10, -pwc_decimals(b)) * CASE WHEN b = 0 THEN 1 ELSE abs(b_si / b) END
    ) + 1e-9 * greatest(abs(a_si), abs(b_si));
CREATE OR REPLACE MACRO pwc_agree(a, a_si, b, b_si) AS
    pwc_close(a, a_si, b, b_si)
    OR (abs(a) <= 1 AND pwc_close(a * 100, a_si * 100, b, b_si))
    OR (abs(b) <= 1 AND pwc_close(a, a_si, b * 100, b_si * 100));
