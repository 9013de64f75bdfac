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

CREATE TABLE IF NOT EXISTS units (
    unit  VARCHAR PRIMARY KEY,
    scale DOUBLE NOT NULL
);
