-- Each counted message of a roster person, placed in the sender's local week and marked inside or
-- outside their working hours (out-of-office days have none). One ASOF join against the sender's
-- timeline finds both the week and the latest working shift starting at or before the message,
-- without converting any time zone.
SELECT
    messages.conversation_key,
    messages.sent_at,
    messages.sender_id AS person_id,
    timeline.week_start,
    messages.is_public,
    coalesce(messages.sent_at < timeline.shift_end_at, false) AS in_working_hours
FROM intermediate.int_messages AS messages
ASOF JOIN intermediate.int_person_timeline AS timeline
  ON messages.sender_id = timeline.person_id AND messages.sent_at >= timeline.changes_at
WHERE messages.sender_id IS NOT NULL
  AND messages.sent_at < timeline.week_end_at
