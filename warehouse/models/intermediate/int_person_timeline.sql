-- Each person's timeline: every instant at which their week or their working shift changes (a week
-- or a working shift starts), with the week and the latest working shift in force from then on. A
-- message or response is placed in its sender's week and shift by one ASOF join against this
-- table, instead of one ASOF join per lookup: each such join sorts its (tens of millions of) probe
-- rows, while this table has a few hundred rows per person.
WITH points AS (
    SELECT person_id, week_start_at AS changes_at FROM intermediate.int_person_weeks
    UNION
    SELECT person_id, shift_start_at FROM intermediate.int_working_time
)
SELECT
    points.person_id,
    points.changes_at,
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
