-- Slack accounts matched to roster people: by email first, else by the roster's slack_user_id
-- (in any snapshot; the latest snapshot wins when an id moved). Accounts matching nobody keep
-- person_id null: their messages still shape conversations, but are nobody's metric.
WITH roster_people AS (
    SELECT DISTINCT person_id FROM staging.stg_roster__people
),
by_slack_id AS (
    SELECT slack_user_key AS user_key, arg_max(person_id, as_of) AS person_id
    FROM staging.stg_roster__people
    WHERE slack_user_key IS NOT NULL
    GROUP BY slack_user_key
)
SELECT
    u.user_key,
    coalesce(by_email.person_id, by_slack_id.person_id) AS person_id,
    CASE
        WHEN by_email.person_id IS NOT NULL THEN 'email'
        WHEN by_slack_id.person_id IS NOT NULL THEN 'slack_user_id'
    END AS matched_by,
    u.timezone,
    u.is_bot,
    u.is_deleted
FROM staging.stg_slack__users AS u
LEFT JOIN roster_people AS by_email ON by_email.person_id = u.email_person_id
LEFT JOIN by_slack_id ON by_slack_id.user_key = u.user_key
