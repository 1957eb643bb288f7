-- The parts of each person's merged meeting time that fall inside their working shifts
-- (out-of-office days have none). Intervals meet through the UTC days they touch, so each
-- meeting is compared with the shifts of its own day, not with every shift of the person. Days
-- are numbered by arithmetic on microseconds, as in int_person_timeline: casting the instants to
-- dates took three times as long as the rest of the query. A part belongs to its shift's week and
-- depends only on that shift and the islands overlapping it, so an incremental build recomputes
-- only the affected weeks' parts; it is keyed by where it starts (the islands in a shift are
-- disjoint), not by the island's number, which counts over all time.
WITH islands AS (
    SELECT
        person_id,
        start_at,
        end_at,
        unnest(range(epoch_us(start_at) // 86400000000, (epoch_us(end_at) - 1) // 86400000000 + 1)) AS utc_day
    FROM intermediate.int_interval_unions
    WHERE kind = 'meeting'
),
shifts AS (
    SELECT
        person_id,
        week_start,
        shift_date,
        shift_start_at,
        shift_end_at,
        unnest(range(epoch_us(shift_start_at) // 86400000000, (epoch_us(shift_end_at) - 1) // 86400000000 + 1)) AS utc_day
    FROM intermediate.int_shifts
    WHERE NOT is_out_of_office
)
SELECT
    islands.person_id,
    shifts.week_start,
    shifts.shift_date,
    greatest(islands.start_at, shifts.shift_start_at) AS start_at,
    least(islands.end_at, shifts.shift_end_at) AS end_at
FROM islands
JOIN shifts ON shifts.person_id = islands.person_id AND shifts.utc_day = islands.utc_day
WHERE islands.start_at < shifts.shift_end_at
  AND shifts.shift_start_at < islands.end_at
  -- A pair sharing two days would match twice: keep it on the day where its overlap begins.
  AND islands.utc_day = epoch_us(greatest(islands.start_at, shifts.shift_start_at)) // 86400000000
