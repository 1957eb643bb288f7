-- Working shifts: one per working day of each person-week, from work_start to work_end in the
-- person's zone (a shift whose end is not after its start ends the next day; it belongs to the
-- day it starts). A shift covered at least 50% by out-of-office time, or falling on the date of an
-- all-day out-of-office event, is an out-of-office day: it has no working hours. A shift depends
-- only on its person-week and the out-of-office time overlapping it, so an incremental build
-- recomputes only the affected weeks' shifts.
WITH scheduled_local AS (
    SELECT
        weeks.person_id,
        weeks.week_start,
        weeks.timezone,
        (weeks.week_start + days.day_offset::INTEGER) AS shift_date,
        (weeks.week_start + days.day_offset::INTEGER) + weeks.work_start AS local_start,
        (weeks.week_start + days.day_offset::INTEGER) + weeks.work_end
            + CASE WHEN weeks.work_end <= weeks.work_start THEN INTERVAL 1 DAY ELSE INTERVAL 0 DAY END AS local_end
    FROM intermediate.int_person_weeks AS weeks
    CROSS JOIN range(7) AS days(day_offset)
    WHERE list_contains(weeks.work_days, isodow(weeks.week_start + days.day_offset::INTEGER)::TINYINT)
),
-- Each distinct local time converted once: people share zones and schedules, and converting each
-- of 260,000 shifts' bounds one by one took most of this model's time.
zone_instants AS (
    SELECT timezone, local_at, timezone(timezone, local_at) AS instant
    FROM (
        SELECT timezone, local_start AS local_at FROM scheduled_local
        UNION
        SELECT timezone, local_end FROM scheduled_local
    )
),
scheduled AS (
    SELECT
        scheduled_local.person_id,
        scheduled_local.week_start,
        scheduled_local.shift_date,
        starts.instant AS shift_start_at,
        ends.instant AS shift_end_at
    FROM scheduled_local
    JOIN zone_instants AS starts
      ON starts.timezone = scheduled_local.timezone AND starts.local_at = scheduled_local.local_start
    JOIN zone_instants AS ends
      ON ends.timezone = scheduled_local.timezone AND ends.local_at = scheduled_local.local_end
),
timed_out_of_office AS (
    SELECT
        scheduled.person_id,
        scheduled.shift_date,
        sum(epoch_us(least(islands.end_at, scheduled.shift_end_at)) - epoch_us(greatest(islands.start_at, scheduled.shift_start_at))) AS covered_us
    FROM scheduled
    JOIN intermediate.int_interval_unions AS islands
      ON islands.person_id = scheduled.person_id
     AND islands.kind = 'out_of_office'
     AND islands.start_at < scheduled.shift_end_at
     AND islands.end_at > scheduled.shift_start_at
    GROUP BY scheduled.person_id, scheduled.shift_date
),
-- All-day events have dates, no instants, so an incremental build's view of the events near the
-- weeks it rebuilds has none of them: they are read whole (few rows once filtered).
all_day_out_of_office AS (
    SELECT DISTINCT scheduled.person_id, scheduled.shift_date
    FROM scheduled
    JOIN staging.stg_calendar__events AS whole_events
      ON whole_events.owner_id = scheduled.person_id
     AND whole_events.is_all_day
     AND whole_events.event_type = 'outOfOffice'
     AND whole_events.status <> 'cancelled'
     AND scheduled.shift_date >= whole_events.start_date
     AND scheduled.shift_date < whole_events.end_date
)
SELECT
    scheduled.person_id,
    scheduled.week_start,
    scheduled.shift_date,
    scheduled.shift_start_at,
    scheduled.shift_end_at,
    (epoch_us(scheduled.shift_end_at) - epoch_us(scheduled.shift_start_at)) / 3.6e9 AS shift_hours,
    CASE
        WHEN all_day.person_id IS NOT NULL THEN 1.0
        ELSE coalesce(timed.covered_us, 0) / (epoch_us(scheduled.shift_end_at) - epoch_us(scheduled.shift_start_at))
    END AS out_of_office_coverage,
    all_day.person_id IS NOT NULL OR coalesce(timed.covered_us, 0) >= 0.5 * (epoch_us(scheduled.shift_end_at) - epoch_us(scheduled.shift_start_at)) AS is_out_of_office
FROM scheduled
LEFT JOIN timed_out_of_office AS timed USING (person_id, shift_date)
LEFT JOIN all_day_out_of_office AS all_day USING (person_id, shift_date)
