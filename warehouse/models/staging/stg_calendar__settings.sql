SELECT
    owner_id,
    timezone
FROM raw.calendar_settings
