-- Incremental builds: what the last build was made from, so the next one can rebuild only the weeks
-- whose raw data changed. A fingerprint is a row count and an order-independent hash of a raw
-- table's rows (without run_id), per UTC week of the rows' instants for the time-keyed tables and
-- once per table (week_start null) for the others. Documented in docs/data-model.md.
CREATE TABLE meta.build_fingerprints (
    part        VARCHAR NOT NULL,
    week_start  DATE,
    row_count   BIGINT NOT NULL,
    fingerprint UBIGINT NOT NULL
);

-- One row: the last complete build (not a --select build, which clears it).
CREATE TABLE meta.build_state (
    models_hash   VARCHAR NOT NULL,
    built_at      TIMESTAMPTZ NOT NULL,
    mode          VARCHAR NOT NULL CHECK (mode IN ('full', 'incremental')),
    weeks_rebuilt INTEGER,
    reason        VARCHAR
);
