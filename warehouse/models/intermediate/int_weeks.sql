-- The ISO weeks reported on: from the first to the last week with a meeting or a counted message
-- of someone on the roster, each placed in the local week of the person involved (their latest
-- zone).
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
    SELECT sender_id AS person_id, min(sent_at) AS first_at, max(sent_at) AS last_at
    FROM intermediate.int_messages
    WHERE sender_id IS NOT NULL
    GROUP BY sender_id
    UNION ALL
    SELECT person_id, min(start_at), max(start_at)
    FROM intermediate.int_meetings
    GROUP BY person_id
),
bounds AS (
    SELECT
        min(date_trunc('week', timezone(zones.timezone, activity.first_at)))::DATE AS first_week,
        max(date_trunc('week', timezone(zones.timezone, activity.last_at)))::DATE AS last_week
    FROM activity
    JOIN zones USING (person_id)
)
SELECT unnest(generate_series(first_week, last_week, INTERVAL 7 DAY))::DATE AS week_start
FROM bounds
WHERE first_week IS NOT NULL
