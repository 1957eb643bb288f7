SELECT
    user_key,
    email_person_id,
    timezone,
    is_bot,
    is_deleted
FROM raw.slack_users
