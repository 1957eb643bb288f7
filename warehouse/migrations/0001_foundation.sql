-- Version 1: bookkeeping and the roster. Documented in docs/data-model.md.
CREATE SCHEMA meta;
CREATE SCHEMA raw;

CREATE TABLE meta.schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE meta.settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE SEQUENCE meta.import_run_ids START 1;

CREATE TABLE meta.import_runs (
    run_id      BIGINT PRIMARY KEY,
    source      VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    summary     JSON NOT NULL
);

CREATE TABLE meta.ingest_state (
    source     VARCHAR NOT NULL,
    scope      VARCHAR NOT NULL,
    state      JSON NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (source, scope)
);

CREATE TABLE meta.model_builds (
    model       VARCHAR PRIMARY KEY,
    layer       VARCHAR NOT NULL,
    built_at    TIMESTAMPTZ NOT NULL,
    duration_ms DOUBLE NOT NULL,
    row_count   BIGINT NOT NULL
);

CREATE TABLE raw.roster_snapshots (
    as_of       DATE PRIMARY KEY,
    run_id      BIGINT NOT NULL,
    people      INTEGER NOT NULL
);

CREATE TABLE raw.roster_people (
    as_of          DATE NOT NULL,
    person_id      VARCHAR NOT NULL,
    email          VARCHAR NOT NULL,
    name           VARCHAR,
    team_path      VARCHAR NOT NULL,
    manager_email  VARCHAR,
    timezone       VARCHAR,
    work_days      TINYINT[],
    work_start     TIME,
    work_end       TIME,
    slack_user_key VARCHAR,
    PRIMARY KEY (as_of, person_id),
    CHECK (email = lower(trim(email))),
    CHECK ((work_start IS NULL) = (work_end IS NULL)),
    CHECK (work_start IS NULL OR work_start <> work_end)
);
