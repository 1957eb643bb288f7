-- Who is on the roster each week (the snapshot in force on the week's Monday), with the zone and
-- schedule that apply. Zone: roster, else calendar, else Slack profile, else the config default.
-- Schedule: roster, else the config default. The week runs from Monday 00:00 to the next Monday
-- 00:00 in that zone.
WITH params AS (
    SELECT * FROM meta.build_params
),
resolved AS (
    SELECT
        people.person_id,
        weeks.week_start,
        people.team_path,
        coalesce(people.timezone, fallbacks.calendar_timezone, fallbacks.slack_timezone, params.default_timezone) AS timezone,
        CASE
            WHEN people.timezone IS NOT NULL THEN 'roster'
            WHEN fallbacks.calendar_timezone IS NOT NULL THEN 'calendar'
            WHEN fallbacks.slack_timezone IS NOT NULL THEN 'slack'
            ELSE 'default'
        END AS timezone_source,
        coalesce(people.work_days, params.default_work_days) AS work_days,
        coalesce(people.work_start, params.default_work_start) AS work_start,
        coalesce(people.work_end, params.default_work_end) AS work_end
    FROM intermediate.int_weeks AS weeks
    JOIN staging.stg_roster__snapshots AS snapshots
      ON weeks.week_start >= snapshots.valid_from AND weeks.week_start < snapshots.valid_to
    JOIN staging.stg_roster__people AS people ON people.as_of = snapshots.as_of
    LEFT JOIN intermediate.int_person_zone_fallbacks AS fallbacks ON fallbacks.person_id = people.person_id
    CROSS JOIN params
),
-- Each zone's week bounds converted once, not once per person: conversions were most of the time.
zone_weeks AS (
    SELECT
        timezone,
        week_start,
        timezone(timezone, week_start::TIMESTAMP) AS week_start_at,
        timezone(timezone, (week_start + 7)::TIMESTAMP) AS local_week_end_at
    FROM (SELECT DISTINCT timezone, week_start FROM resolved)
),
local_bounds AS (
    SELECT resolved.*, zone_weeks.week_start_at, zone_weeks.local_week_end_at
    FROM resolved
    JOIN zone_weeks USING (timezone, week_start)
)
-- When a person's zone changes between two weeks, the first week ends where the next begins, so
-- consecutive weeks never overlap (no time counted twice) or leave a gap.
SELECT
    * EXCLUDE (local_week_end_at),
    CASE
        WHEN lead(week_start) OVER next_week = week_start + 7 THEN lead(week_start_at) OVER next_week
        ELSE local_week_end_at
    END AS week_end_at
FROM local_bounds
WINDOW next_week AS (PARTITION BY person_id ORDER BY week_start)
