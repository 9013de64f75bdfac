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

-- --- Whose number a board claim is (docs/schema.md, "Own results and baselines") ---
-- The leaderboard rebuild (store.py, SQL_LB_SOURCE) gives every board claim a `role`: 'own' (the paper's own
-- result) or 'baseline' (a number it quotes for a model it did not introduce), from these facts about the claim.
-- A model name compared without case, accents and punctuation (ResNet-50 = ResNet50 = resnet 50).
CREATE OR REPLACE MACRO role_name_key(name) AS regexp_replace(lower(strip_accents(name)), '[^a-z0-9]+', '', 'g');
-- The title names the model: as a whole word ("ResNet strikes back" for ResNet), or the title's name before a
-- colon (at most three words) begins the model's name ("FMViT: ..." for FMViT-B, "Swin Transformer: ..." for Swin-T).
CREATE OR REPLACE MACRO role_in_title(model, title) AS
    (position(model IN title) > 0
     AND NOT regexp_matches(substr(title, position(model IN title) - 1, 1), '[A-Za-z0-9]')
     AND NOT regexp_matches(substr(title, position(model IN title) + length(model), 1), '[A-Za-z0-9]'))
    OR (contains(title, ':') AND len(string_split(trim(split_part(title, ':', 1)), ' ')) <= 3
        AND ((length(role_name_key(split_part(title, ':', 1))) >= 2
              AND starts_with(role_name_key(model), role_name_key(split_part(title, ':', 1))))
             OR (regexp_matches(trim(split_part(title, ':', 1)), '^[A-Z][A-Za-z0-9-]{2,} ')
                 AND starts_with(role_name_key(model),
                                 role_name_key(string_split(trim(split_part(title, ':', 1)), ' ')[1])))));
-- `name` begins `model` as a whole part of it: ShortcutNet for ShortcutNet-50 and ShortcutNets, not for ShortcutNetX.
CREATE OR REPLACE MACRO role_prefix(model, name) AS
    name <> '' AND starts_with(lower(model), lower(name))
    AND (length(model) = length(name) OR NOT regexp_matches(substr(model, length(name) + 1, 1), '[A-Za-z]')
         OR lower(model) = lower(name) || 's');
-- The abstract introduces the model by name: "we propose X", "We present ShortcutNet, a family ..." (for
-- ShortcutNet-50), "a model dubbed X", "which we call X", "our X", "Mixture-of-Transformers (MoT)"; or marks it
-- "X (ours)". A named phrase counts as a whole, by its acronym in brackets, or by its first word when that is
-- shaped like a model name (an inner capital or digit: ShortcutNet, ViT; not Vision).
CREATE OR REPLACE MACRO role_names(abstract, part) AS
    regexp_extract_all(abstract,
        '(?i:\b(?:we\s+(?:propose|present|introduce|develop|design|build|call|name|dub|term|coin)\w*|this\s+(?:paper|work)\s+(?:propose|present|introduce)s|dubbed|called|named|termed|coined|namely|our)\s+(?:(?:it|them|a|an|the|new|novel|simple|yet|effective|efficient|strong|powerful|general|unified|family|series|of|proposed|model|models|method|approach|network|networks|framework|architecture|system|algorithm|technique|called|named|dubbed|termed|which|we|call|name)\b[\s,]*)*)["“'']?([A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*){0,3})(?:\s*\(([A-Z][\w.+-]*)\))?',
        part);
CREATE OR REPLACE MACRO role_named(model, abstract) AS
    len(list_filter(role_names(abstract, 1), lambda x: role_prefix(model, x)
        OR (regexp_matches(split_part(x, ' ', 1), '^[A-Z][A-Za-z]*[A-Z0-9]') AND role_prefix(model, split_part(x, ' ', 1))))) > 0
    OR len(list_filter(role_names(abstract, 2), lambda x: role_prefix(model, x))) > 0
    OR contains(abstract, model || ' (ours)');
-- The model is named as something compared against where the claim mentions it (its last mention before the
-- end of the quote, else its first): "outperforms X (76.1%)", "better than X", "compared with X", "baselines
-- such as X", "previous state-of-the-art X".
CREATE OR REPLACE MACRO role_mention(model, abstract, end_offset) AS
    CASE WHEN position(reverse(model) IN reverse(substr(abstract, 1, end_offset))) > 0
         THEN least(end_offset, length(abstract)) - position(reverse(model) IN reverse(substr(abstract, 1, end_offset))) - length(model) + 2
         ELSE position(model IN abstract) END;
CREATE OR REPLACE MACRO role_compared(model, abstract, end_offset) AS
    role_mention(model, abstract, end_offset) > 0
    AND regexp_matches(
        substr(abstract, greatest(1, role_mention(model, abstract, end_offset) - 60),
               role_mention(model, abstract, end_offset) - greatest(1, role_mention(model, abstract, end_offset) - 60)),
        '(?i:\b(?:than|outperform\w*|surpass\w*|over|beat\w*|exceed\w*|compared\s+(?:to|with)|comparison\s+(?:to|with)|vs\.?|versus|against|relative\s+to|unlike|baselines?|previous|prior|existing|such\s+as|including|like)\s+(?:(?:the|a|an|strong|popular|recent|standard|original|vanilla|baseline|state-of-the-art|sota|previous|prior|existing|best|competitive|model|models|method|methods|approaches|such|as|its|their|counterparts?)\b[\s,]*)*[("“'']?)$');

-- Own or baseline, from those facts: the archive's rows, the paper's unnamed method and a model the paper names as
-- its own (title, "we propose X") are own; a model it compares against (cue words, or a comparator of its deltas),
-- or any other model of a paper that reports its own method on the same dataset, is a baseline; else own (an
-- abstract that reports one named model's numbers and compares with nothing).
CREATE OR REPLACE MACRO role_of(named_own, compared, paper_names_own) AS
    CASE WHEN named_own THEN 'own' WHEN compared OR paper_names_own THEN 'baseline' ELSE 'own' END;

-- Models the extractor's deltas and ratios of a paper compare against ("2.1% higher than ResNet-50").
CREATE OR REPLACE VIEW claim_comparators AS
SELECT DISTINCT paper_id, role_name_key(comparator) AS comparator_key FROM claims WHERE comparator IS NOT NULL;

-- Every claim that can stand on a leaderboard: an absolute number about a named model on a named
-- dataset, with the metric's direction, a sort key that puts the best value first and its role.
CREATE OR REPLACE VIEW leaderboard_claims AS
WITH lc AS (
    SELECT
        ce.*,
        p.title,
        p.published,
        coalesce(m.higher_is_better, true) AS higher_is_better,
        m.unit AS metric_unit,
        CASE WHEN coalesce(m.higher_is_better, true) THEN -ce.value_si ELSE ce.value_si END AS sort_key,
        -- "(proposed)" is each paper's own unnamed method: one entry per paper, not one for all papers.
        CASE WHEN ce.model = '(proposed)' THEN '(proposed)@' || ce.paper_id ELSE lower(ce.model) END AS model_key,
        ce.origin = 'pwc' OR ce.model = '(proposed)' OR role_in_title(ce.model, p.title)
            OR role_named(ce.model, p.abstract) AS named_own,
        role_compared(ce.model, p.abstract, ce.end_offset) OR k.comparator_key IS NOT NULL AS compared
    FROM claims_effective ce
    JOIN papers p ON p.paper_id = ce.paper_id
    LEFT JOIN metrics m ON m.metric = ce.metric
    LEFT JOIN claim_comparators k ON k.paper_id = ce.paper_id AND k.comparator_key = role_name_key(ce.model)
    WHERE ce.kind = 'absolute' AND ce.model IS NOT NULL AND ce.dataset IS NOT NULL
)
SELECT lc.* EXCLUDE (named_own, compared),
       role_of(named_own, compared, bool_or(named_own) OVER (PARTITION BY paper_id, dataset)) AS role
FROM lc;

-- The best claim per model for each (task, dataset, metric), ranked by the metric's direction. The best
-- claims are materialised in `leaderboard_best` (rebuilt inside every write transaction).
-- Every claim counts here (own results and quoted baselines, `role` says which); `leaderboard_own` ranks the own
-- results alone (what `tracker leaderboard` shows without --with-baselines).
CREATE OR REPLACE VIEW leaderboard AS
SELECT
    rank, task, dataset, metric, model, value, unit, value_si, higher_is_better,
    paper_id, title, published, conditions, quote, claim_id, origin, model_key, sort_key, role
FROM leaderboard_best
WHERE scope = 'all';

CREATE OR REPLACE VIEW leaderboard_own AS
SELECT
    rank, task, dataset, metric, model, value, unit, value_si, higher_is_better,
    paper_id, title, published, conditions, quote, claim_id, origin, model_key, sort_key, role
FROM leaderboard_best
WHERE scope = 'own';

-- `leaderboards` (one row per available leaderboard) is a table since schema 2 + materialisation: see schema.sql.
