SELECT
    owner_id,
    event_key,
    recurrence_key,
    attendee_id,
    attendee_kind,
    response_status
FROM raw.calendar_attendees
