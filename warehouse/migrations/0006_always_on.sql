-- Version 4: the job log. One row per finished run of a scheduled or manual job (refresh, each
-- source of a refresh, build, publish, report), also for runs skipped because the previous one was
-- still going. Error text is stripped of secrets before it is written.
CREATE SEQUENCE meta.job_run_ids START 1;

CREATE TABLE meta.job_runs (
    run_id      BIGINT PRIMARY KEY,
    job         VARCHAR NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    status      VARCHAR NOT NULL CHECK (status IN ('ok', 'failed', 'skipped', 'aborted')),
    counts      JSON NOT NULL,
    error       VARCHAR
);
