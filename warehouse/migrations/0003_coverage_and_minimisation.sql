-- Version 3: Slack coverage windows, because outside the period an export covers message metrics
-- are unknown, not zero; and no more names in the roster, because no feature needs them.
CREATE TABLE raw.slack_coverage (
    window_start TIMESTAMPTZ NOT NULL,
    window_end   TIMESTAMPTZ NOT NULL,
    source       VARCHAR NOT NULL,
    run_id       BIGINT NOT NULL,
    CHECK (window_end > window_start)
);

-- Slack data imported by an earlier version covers the days its messages span.
INSERT INTO raw.slack_coverage
SELECT date_trunc('day', min(ts)), date_trunc('day', max(ts)) + INTERVAL 1 DAY, min(source), min(run_id)
FROM raw.slack_messages
HAVING count(*) > 0;

ALTER TABLE raw.roster_people DROP COLUMN name;
