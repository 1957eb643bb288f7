-- Each person's timeline cut into segments at every instant at which their week or their working
-- shift changes (a week or a working shift starts), with the week and the latest working shift in
-- force. Each segment is listed once per UTC day it touches, so a message or response finds its
-- sender's week and shift with an equality join on (person, UTC day) and a range check, instead of
-- an ASOF join that sorts its tens of millions of probe rows. A segment lasts a day or so, so an
-- instant meets one or two candidates.
--
-- A segment ends at the next change or at its week's end, whichever comes first, so adding later
-- data never changes an existing row. Time outside every reported week (before the first, between
-- two after a roster gap) forms segments without a week: they place no message, but still give the
-- working time accumulated in them.
-- The week and the shift in force at each change are carried forward from the latest week start
-- and shift start at or before it: one sort of the changes, where two ASOF joins sorted them twice.
--
-- Causal (see the .yml): given getvariable('incremental_scope_start'), an instant S at or before
-- every change of the inputs, it reads the weeks and shifts starting from S, and before S each
-- person's latest week start and latest shift start only. Those two carry their week and shift into
-- S, and the later of them is the only change before S whose segments can end after it; so every
-- segment ending after S comes out as a full build computes it, and the build keeps only those.
-- A full build leaves S unset (NULL), and every filter on it gives way.
WITH weeks AS (
    SELECT person_id, week_start_at, week_start, week_end_at
    FROM intermediate.int_person_weeks
    WHERE week_start_at >= getvariable('incremental_scope_start') OR getvariable('incremental_scope_start') IS NULL
    UNION ALL
    SELECT person_id, week_start_at, week_start, week_end_at
    FROM intermediate.int_person_weeks
    WHERE week_start_at < getvariable('incremental_scope_start')
    QUALIFY week_start_at = max(week_start_at) OVER (PARTITION BY person_id)
),
shifts AS (
    SELECT person_id, shift_start_at, shift_end_at, shift_us, worked_before_us
    FROM intermediate.int_working_time
    WHERE shift_start_at >= getvariable('incremental_scope_start') OR getvariable('incremental_scope_start') IS NULL
    UNION ALL
    SELECT person_id, shift_start_at, shift_end_at, shift_us, worked_before_us
    FROM intermediate.int_working_time
    WHERE shift_start_at < getvariable('incremental_scope_start')
    QUALIFY shift_start_at = max(shift_start_at) OVER (PARTITION BY person_id)
),
points AS (
    SELECT
        person_id,
        week_start_at AS changes_at,
        week_start,
        week_end_at,
        NULL AS shift_start_at,
        NULL AS shift_end_at,
        NULL AS shift_us,
        NULL AS worked_before_us
    FROM weeks
    UNION ALL
    SELECT person_id, shift_start_at, NULL, NULL, shift_start_at, shift_end_at, shift_us, worked_before_us
    FROM shifts
),
-- A week and a shift that start at the same instant are one change.
merged_points AS (
    SELECT
        person_id,
        changes_at,
        max(week_start) AS week_start,
        max(week_end_at) AS week_end_at,
        max(shift_start_at) AS shift_start_at,
        max(shift_end_at) AS shift_end_at,
        max(shift_us) AS shift_us,
        max(worked_before_us) AS worked_before_us
    FROM points
    GROUP BY person_id, changes_at
),
changes AS (
    SELECT
        person_id,
        changes_at,
        lead(changes_at) OVER timeline AS next_changes_at,
        last_value(week_start IGNORE NULLS) OVER timeline AS week_start,
        last_value(week_end_at IGNORE NULLS) OVER timeline AS week_end_at,
        last_value(shift_start_at IGNORE NULLS) OVER timeline AS shift_start_at,
        last_value(shift_end_at IGNORE NULLS) OVER timeline AS shift_end_at,
        last_value(shift_us IGNORE NULLS) OVER timeline AS shift_us,
        last_value(worked_before_us IGNORE NULLS) OVER timeline AS worked_before_us
    FROM merged_points
    WINDOW timeline AS (PARTITION BY person_id ORDER BY changes_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
segments AS (
    SELECT
        person_id,
        changes_at AS segment_start_at,
        CASE WHEN next_changes_at < week_end_at THEN next_changes_at ELSE week_end_at END AS segment_end_at,
        week_start,
        week_end_at,
        shift_start_at, shift_end_at, shift_us, worked_before_us
    FROM changes
    WHERE changes_at < week_end_at
    UNION ALL
    SELECT
        person_id,
        CASE WHEN week_end_at > changes_at THEN week_end_at ELSE changes_at END,
        next_changes_at,
        NULL,
        NULL,
        shift_start_at, shift_end_at, shift_us, worked_before_us
    FROM changes
    WHERE next_changes_at > coalesce(CASE WHEN week_end_at > changes_at THEN week_end_at ELSE changes_at END, changes_at)
)
SELECT
    unnest(generate_series(
        epoch_us(segment_start_at) // 86400000000,
        (epoch_us(segment_end_at) - 1) // 86400000000
    )) AS utc_day,
    *
FROM segments
