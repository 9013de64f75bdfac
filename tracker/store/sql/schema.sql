-- claimtrack schema, version 1 (see docs/schema.md for the meaning of every column).
-- Applied by tracker.store.Store on every writable open; every statement is idempotent.

CREATE TABLE IF NOT EXISTS schema_version (
    app        VARCHAR NOT NULL,          -- always 'claimtrack': marks the file as a claimtrack database
    version    INTEGER NOT NULL,          -- schema version the file was written with
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE IF NOT EXISTS papers (
    paper_id          VARCHAR PRIMARY KEY,
    title             VARCHAR NOT NULL,
    abstract          VARCHAR NOT NULL,
    published         DATE,
    authors           VARCHAR[],
    url               VARCHAR,
    source            VARCHAR NOT NULL,
    categories        VARCHAR[],
    content_hash      VARCHAR NOT NULL,
    extractor_version VARCHAR NOT NULL,
    vocab_hash        VARCHAR NOT NULL,
    loaded_at         TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS claims (
    claim_id          VARCHAR PRIMARY KEY,
    paper_id          VARCHAR NOT NULL,
    quote             VARCHAR NOT NULL,
    start_offset      INTEGER NOT NULL,
    end_offset        INTEGER NOT NULL,
    value             DOUBLE NOT NULL,
    value_si          DOUBLE NOT NULL,
    unit              VARCHAR,
    metric            VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,
    model             VARCHAR,
    dataset           VARCHAR,
    task              VARCHAR,
    comparator        VARCHAR,
    direction         VARCHAR,
    conditions        VARCHAR,
    qualifier         VARCHAR,
    required          BOOLEAN NOT NULL,
    extractor_version VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS metrics (
    metric           VARCHAR PRIMARY KEY,
    higher_is_better BOOLEAN NOT NULL,
    family           VARCHAR NOT NULL,
    unit             VARCHAR,
    aliases          VARCHAR[]
);

CREATE TABLE IF NOT EXISTS datasets (
    dataset VARCHAR PRIMARY KEY,
    task    VARCHAR,
    metric  VARCHAR,
    aliases VARCHAR[]
);

CREATE TABLE IF NOT EXISTS tasks (
    task    VARCHAR PRIMARY KEY,
    aliases VARCHAR[]
);

-- The vocabulary of the whole field (tracker/vocab/README.md): provenance and taxonomy columns. Added
-- with ALTER so that a database written before them gains them on its next writable open.
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS direction_source VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS metric_group VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS value_range VARCHAR;
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS variants STRUCT(name VARCHAR, condition VARCHAR)[];
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS context_aliases VARCHAR[];
ALTER TABLE metrics ADD COLUMN IF NOT EXISTS sources VARCHAR[];
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS tasks VARCHAR[];
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS metrics VARCHAR[];
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS conditions VARCHAR[];
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS context_aliases VARCHAR[];
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS sources VARCHAR[];
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS label VARCHAR;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS area VARCHAR;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS parent VARCHAR;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS report_as VARCHAR;
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS categories VARCHAR[];
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS metrics VARCHAR[];
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS context_aliases VARCHAR[];
ALTER TABLE tasks ADD COLUMN IF NOT EXISTS sources VARCHAR[];

CREATE TABLE IF NOT EXISTS units (
    unit  VARCHAR PRIMARY KEY,
    scale DOUBLE NOT NULL
);

-- Materialised leaderboards (see docs/schema.md "How it is written"): rebuilt by tracker.store.Store inside
-- every write transaction (load, review) for the datasets the write touched, from the views of views.sql.
-- Stored in (dataset, metric, task) order so that a query on one board skips the other row groups.
-- The best effective claim per (task, dataset, metric, model_key); the `leaderboard` view ranks it.
CREATE TABLE IF NOT EXISTS leaderboard_best (
    rank             BIGINT NOT NULL,
    task             VARCHAR,
    dataset          VARCHAR NOT NULL,
    metric           VARCHAR NOT NULL,
    model_key        VARCHAR NOT NULL,
    model            VARCHAR,
    value            DOUBLE,
    unit             VARCHAR,
    value_si         DOUBLE,
    higher_is_better BOOLEAN,
    paper_id         VARCHAR,
    title            VARCHAR,
    published        DATE,
    conditions       VARCHAR,
    quote            VARCHAR,
    claim_id         VARCHAR,
    origin           VARCHAR,
    sort_key         DOUBLE,
    role             VARCHAR,           -- own (the paper's own result) or baseline (a number quoted for another model)
    scope            VARCHAR NOT NULL   -- all: each model's best claim; own: each model's best own claim, ranked among own
);

-- The same merged over the tasks of each (dataset, metric): each model's best over them, ranked (what
-- `tracker leaderboard` without --task and the dashboard's "All tasks" show).
CREATE TABLE IF NOT EXISTS leaderboard_merged (
    rank             BIGINT NOT NULL,
    dataset          VARCHAR NOT NULL,
    metric           VARCHAR NOT NULL,
    model_key        VARCHAR NOT NULL,
    model            VARCHAR,
    value            DOUBLE,
    unit             VARCHAR,
    paper_id         VARCHAR,
    title            VARCHAR,
    published        DATE,
    conditions       VARCHAR,
    quote            VARCHAR,
    claim_id         VARCHAR,
    origin           VARCHAR,
    sort_key         DOUBLE,
    role             VARCHAR,           -- own (the paper's own result) or baseline (a number quoted for another model)
    scope            VARCHAR NOT NULL   -- all: each model's best claim; own: each model's best own claim, ranked among own
);

-- Every dated leaderboard claim, in (dataset, metric, task, published) order: sota_over_time reads it.
CREATE TABLE IF NOT EXISTS leaderboard_points (
    task             VARCHAR,
    dataset          VARCHAR NOT NULL,
    metric           VARCHAR NOT NULL,
    published        DATE NOT NULL,
    claim_id         VARCHAR NOT NULL,
    sort_key         DOUBLE,
    value_si         DOUBLE,
    unit             VARCHAR,
    higher_is_better BOOLEAN,
    model            VARCHAR,
    paper_id         VARCHAR,
    title            VARCHAR,
    origin           VARCHAR,           -- extracted, reviewed, human or pwc (as in claims_effective)
    seq              BIGINT NOT NULL,   -- position in (published, claim_id) order within its (dataset, metric)
    best_key         DOUBLE,            -- running min of sort_key over the (dataset, metric), all tasks
    prev_key         DOUBLE,            -- the same before this claim (NULL for the first)
    role             VARCHAR,           -- own or baseline (as in leaderboard_best)
    own_seq          BIGINT,            -- own claims only: position among the own claims of the (dataset, metric)
    own_best_key     DOUBLE,            -- own claims only: running min of sort_key over the own claims
    own_prev_key     DOUBLE             -- own claims only: the same before this claim
);

-- One row per available leaderboard (what the view of the same name computed before it was materialised).
CREATE TABLE IF NOT EXISTS leaderboards (
    task             VARCHAR,
    dataset          VARCHAR NOT NULL,
    metric           VARCHAR NOT NULL,
    higher_is_better BOOLEAN,
    unit             VARCHAR,
    models           BIGINT,
    claims           BIGINT,
    papers           BIGINT,
    latest           DATE,
    own_models       BIGINT             -- models with an own result (the default board's size)
);

-- Input files whose every paper is stored as that file has it (same content hash, extractor version and
-- vocabulary): loading the same bytes again is skipped without reading them. Cleared whenever a load
-- replaces a paper (the replacement may come from another file) or `tracker sql --write` writes.
CREATE TABLE IF NOT EXISTS loaded_files (
    sha256            VARCHAR NOT NULL,   -- digest of the file's bytes
    size              BIGINT NOT NULL,
    path              VARCHAR NOT NULL,   -- where it was loaded from (for information)
    format            VARCHAR,            -- --format given, NULL when detected
    extractor_version VARCHAR NOT NULL,
    vocab_hash        VARCHAR NOT NULL,
    papers            BIGINT NOT NULL     -- distinct papers in the file
);
