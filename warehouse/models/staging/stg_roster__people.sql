-- One roster row per snapshot and person, with the config defaults NOT yet applied: a NULL here
-- means the roster left the value open, and later sources may fill it (calendar, Slack).
SELECT
    as_of,
    person_id,
    email,
    team_path,
    manager_email,
    timezone,
    work_days,
    work_start,
    work_end,
    slack_user_key
FROM raw.roster_people
