-- The zones other sources give for each roster person, used when the roster leaves it open:
-- the calendar's own zone first, then the Slack profile's.
WITH people AS (
    SELECT DISTINCT person_id FROM staging.stg_roster__people
),
slack AS (
    SELECT person_id, min(timezone) AS timezone
    FROM intermediate.int_slack_identities
    WHERE person_id IS NOT NULL AND timezone IS NOT NULL AND NOT is_bot
    GROUP BY person_id
)
SELECT
    people.person_id,
    calendar.timezone AS calendar_timezone,
    slack.timezone AS slack_timezone
FROM people
LEFT JOIN staging.stg_calendar__settings AS calendar ON calendar.owner_id = people.person_id
LEFT JOIN slack ON slack.person_id = people.person_id
