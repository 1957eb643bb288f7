-- The last counted message of each response stream (see int_responses) in each UTC week. An
-- incremental build of int_responses reads messages only from a week or so before the weeks it
-- rebuilds, and whether a stream's first message among them starts a run depends on who wrote
-- the message before it, however old: the latest of these rows before that point says so without
-- reading every earlier message (13 M at 1,000 people, most of an incremental build's time). The
-- streams are read as int_responses reads them, twice (a DM's thread parent is in two).
SELECT
    conversation_key,
    thread_ts IS NOT NULL AS in_thread,
    thread_ts,
    -- The UTC Monday by arithmetic on microseconds (weeks counted from Monday 1970-01-05, floored):
    -- converting 13 M instants to UTC wall-clock time costs a second.
    (DATE '1970-01-05' + 7 * fdiv(epoch_us(sent_at) - 345600000000, 604800000000)::INTEGER) AS week_start,
    max(sent_at) AS sent_at,
    arg_max(user_key, sent_at) AS user_key
FROM (
    SELECT messages.conversation_key, NULL::TIMESTAMPTZ AS thread_ts, messages.sent_at, messages.user_key
    FROM intermediate.int_messages AS messages
    WHERE messages.is_direct AND NOT messages.is_thread_reply
    UNION ALL
    SELECT messages.conversation_key, messages.thread_ts, messages.sent_at, messages.user_key
    FROM intermediate.int_messages AS messages
    WHERE messages.thread_ts IS NOT NULL
) AS streams
GROUP BY conversation_key, thread_ts, week_start
