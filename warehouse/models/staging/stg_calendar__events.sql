-- One row per event instance on one person's calendar (each attendee has their own copy).
SELECT
    owner_id,
    event_key,
    recurrence_key,
    is_all_day,
    start_at,
    end_at,
    start_date,
    end_date,
    status,
    transparency,
    event_type,
    is_recurring,
    organizer_id,
    CASE WHEN NOT is_all_day THEN (epoch_us(end_at) - epoch_us(start_at)) / 3.6e9 END AS duration_hours
FROM raw.calendar_events
