-- The periods for which each person's calendar was imported: inside them, no meeting means no
-- meeting; outside them, the calendar metrics are unknown rather than zero.
SELECT DISTINCT
    owner_id,
    window_start,
    window_end,
    source
FROM raw.calendar_coverage
