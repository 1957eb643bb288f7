-- The ISO weeks reported on: from the first to the last week with a meeting or a counted message
-- of someone on the roster, each placed in the local week of the person involved (their latest
-- zone). Bounded, so one stray instant cannot make the build unbounded: activity outside the
-- plausible range (warehouse/bounds.ts) is ignored, and at most max_report_weeks weeks are
-- reported, the latest ones. The activity is read per person and day (int_activity_days).
WITH params AS (
    SELECT * FROM meta.build_params
),
zones AS (
    SELECT
        roster.person_id,
        coalesce(roster.timezone, fallbacks.calendar_timezone, fallbacks.slack_timezone, params.default_timezone) AS timezone
    FROM (
        SELECT person_id, arg_max_null(timezone, as_of) AS timezone
        FROM staging.stg_roster__people
        GROUP BY person_id
    ) AS roster
    LEFT JOIN intermediate.int_person_zone_fallbacks AS fallbacks USING (person_id)
    CROSS JOIN params
),
activity AS (
    SELECT person_id, min(first_at) AS first_at, max(last_at) AS last_at
    FROM intermediate.int_activity_days
    GROUP BY person_id
),
bounds AS (
    SELECT
        min(date_trunc('week', timezone(zones.timezone, activity.first_at)))::DATE AS first_week,
        max(date_trunc('week', timezone(zones.timezone, activity.last_at)))::DATE AS last_week
    FROM activity
    JOIN zones USING (person_id)
)
SELECT unnest(generate_series(
    greatest(first_week, last_week - 7 * (params.max_report_weeks - 1)),
    last_week,
    INTERVAL 7 DAY
))::DATE AS week_start
FROM bounds, params
WHERE first_week IS NOT NULL
