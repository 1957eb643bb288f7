-- The ISO weeks reported on: from the first to the last week with a meeting or a message, each
-- activity placed in the local week of the person involved (their latest zone).
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
    SELECT identities.person_id, min(messages.sent_at) AS first_at, max(messages.sent_at) AS last_at
    FROM staging.stg_slack__messages AS messages
    JOIN intermediate.int_slack_identities AS identities USING (user_key)
    WHERE identities.person_id IS NOT NULL
    GROUP BY identities.person_id
    UNION ALL
    SELECT owner_id, min(start_at), max(start_at)
    FROM staging.stg_calendar__events
    WHERE NOT is_all_day AND status <> 'cancelled'
    GROUP BY owner_id
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
