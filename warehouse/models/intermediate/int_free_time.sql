-- Free time: each working shift minus the person's merged meetings. A free interval of at least
-- focusBlockMinutes counts whole as focus time; a shorter one is fragmented time. Zero-length
-- markers at the shift's start and end make the first and last gaps fall out of the same lag().
-- Free time belongs to its shift's week and depends only on that shift and its meeting time.
WITH shifts AS (
    SELECT person_id, week_start, shift_date, shift_start_at, shift_end_at
    FROM intermediate.int_shifts
    WHERE NOT is_out_of_office
),
pieces AS (
    SELECT person_id, week_start, shift_date, start_at, end_at FROM intermediate.int_meeting_time_in_shifts
    UNION ALL
    SELECT person_id, week_start, shift_date, shift_start_at, shift_start_at FROM shifts
    UNION ALL
    SELECT person_id, week_start, shift_date, shift_end_at, shift_end_at FROM shifts
),
gaps AS (
    SELECT
        person_id,
        week_start,
        shift_date,
        lag(end_at) OVER (PARTITION BY person_id, shift_date ORDER BY start_at, end_at) AS start_at,
        start_at AS end_at
    FROM pieces
)
SELECT
    gaps.person_id,
    gaps.week_start,
    gaps.shift_date,
    gaps.start_at,
    gaps.end_at,
    epoch_us(gaps.end_at) - epoch_us(gaps.start_at)
        >= (SELECT focus_block_minutes FROM meta.build_params)::BIGINT * 60000000 AS is_focus
FROM gaps
WHERE gaps.start_at IS NOT NULL AND gaps.end_at > gaps.start_at
