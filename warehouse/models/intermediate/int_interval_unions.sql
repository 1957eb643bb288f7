-- Unions of intervals, one kind at a time: each person's meetings and each person's
-- out-of-office time. Overlapping or touching intervals merge into one island, so overlaps are
-- counted once. Islands are keyed by where they start, not numbered: a number counts over all
-- time, so an incremental build could not replace the islands near new data without renumbering
-- every later one. Import coverage merges the same way in int_coverage_unions, apart: its islands
-- last months, and an incremental build reads a merged model's inputs over the whole stretch of
-- every island near the new data.
WITH intervals AS (
    SELECT person_id, 'meeting' AS kind, start_at, end_at
    FROM intermediate.int_meetings
    UNION ALL
    SELECT owner_id, 'out_of_office', start_at, end_at
    FROM staging.stg_calendar__events
    WHERE event_type = 'outOfOffice' AND status <> 'cancelled' AND NOT is_all_day AND end_at > start_at
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
