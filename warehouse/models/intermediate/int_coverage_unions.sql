-- Unions of the imported windows: each person's calendar windows, and the Slack windows (for the
-- whole workspace: person_id is empty). Overlapping or touching windows merge into one island, so
-- adjacent imports cover as one; merged as int_interval_unions merges meetings.
WITH intervals AS (
    SELECT owner_id AS person_id, 'calendar_coverage' AS kind, window_start AS start_at, window_end AS end_at
    FROM staging.stg_calendar__coverage
    UNION ALL
    SELECT '', 'slack_coverage', window_start, window_end
    FROM staging.stg_slack__coverage
),
-- Frames are by start time (RANGE), never by row position: intervals starting at the same instant
-- are peers and always land in the same island, whatever order the engine reads them in.
reach AS (
    SELECT
        *,
        max(end_at) OVER (
            PARTITION BY person_id, kind ORDER BY start_at
            RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE GROUP
        ) AS reached_before
    FROM intervals
),
numbered AS (
    SELECT
        *,
        sum(CASE WHEN reached_before IS NULL OR start_at > reached_before THEN 1 ELSE 0 END) OVER (
            PARTITION BY person_id, kind ORDER BY start_at
            RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
        ) AS island
    FROM reach
)
SELECT person_id, kind, min(start_at) AS start_at, max(end_at) AS end_at, count(*)::INTEGER AS intervals
FROM numbered
GROUP BY person_id, kind, island
