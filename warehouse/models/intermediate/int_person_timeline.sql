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
WITH points AS (
    SELECT person_id, week_start_at AS changes_at FROM intermediate.int_person_weeks
    UNION
    SELECT person_id, shift_start_at FROM intermediate.int_working_time
),
changes AS (
    SELECT
        points.person_id,
        points.changes_at,
        lead(points.changes_at) OVER (PARTITION BY points.person_id ORDER BY points.changes_at) AS next_changes_at,
        weeks.week_start,
        weeks.week_end_at,
        shifts.shift_start_at,
        shifts.shift_end_at,
        shifts.shift_us,
        shifts.worked_before_us
    FROM points
    ASOF LEFT JOIN intermediate.int_person_weeks AS weeks
      ON points.person_id = weeks.person_id AND points.changes_at >= weeks.week_start_at
    ASOF LEFT JOIN intermediate.int_working_time AS shifts
      ON points.person_id = shifts.person_id AND points.changes_at >= shifts.shift_start_at
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
