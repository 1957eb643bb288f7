-- The counted messages of each roster person per local week: how many, how many outside their
-- working hours (out-of-office days have none), how many in public channels. Each message finds its
-- sender's week and latest working shift in the sender's timeline segment that holds it, joined on
-- (person, UTC day), without converting any time zone; the counts are taken in the same pass, so
-- the tens of millions of placed messages are never stored.
SELECT
    timeline.person_id,
    timeline.week_start,
    count(*)::INTEGER AS messages_sent,
    count(*) FILTER (WHERE NOT coalesce(messages.sent_at < timeline.shift_end_at, false))::INTEGER AS off_hours_messages,
    count(*) FILTER (WHERE messages.is_public)::INTEGER AS public_messages
FROM intermediate.int_messages AS messages
JOIN intermediate.int_person_timeline AS timeline
  ON messages.sender_id = timeline.person_id
 AND epoch_us(messages.sent_at) // 86400000000 = timeline.utc_day
 AND messages.sent_at >= timeline.segment_start_at
 AND messages.sent_at < timeline.segment_end_at
WHERE timeline.week_start IS NOT NULL
GROUP BY timeline.person_id, timeline.week_start
