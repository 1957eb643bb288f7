-- Each counted message of a roster person, placed in the sender's local week and marked inside or
-- outside their working hours (out-of-office days have none). ASOF joins find the week and the
-- latest working shift starting at or before the message, without converting any time zone.
WITH working_shifts AS (
    SELECT person_id, shift_start_at, shift_end_at
    FROM intermediate.int_shifts
    WHERE NOT is_out_of_office
),
placed AS (
    SELECT
        messages.conversation_key,
        messages.sent_at,
        messages.sender_id AS person_id,
        messages.is_public,
        weeks.week_start,
        weeks.week_end_at
    FROM intermediate.int_messages AS messages
    ASOF JOIN intermediate.int_person_weeks AS weeks
      ON messages.sender_id = weeks.person_id AND messages.sent_at >= weeks.week_start_at
    WHERE messages.sender_id IS NOT NULL
)
SELECT
    placed.conversation_key,
    placed.sent_at,
    placed.person_id,
    placed.week_start,
    placed.is_public,
    coalesce(placed.sent_at < shifts.shift_end_at, false) AS in_working_hours
FROM placed
ASOF LEFT JOIN working_shifts AS shifts
  ON placed.person_id = shifts.person_id AND placed.sent_at >= shifts.shift_start_at
WHERE placed.sent_at < placed.week_end_at
