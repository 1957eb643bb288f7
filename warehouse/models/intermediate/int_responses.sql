-- Responses. Streams: the top-level messages of each DM or group DM form one stream, and each
-- thread (its parent and replies) forms one; top-level channel messages form none. Within a stream,
-- consecutive counted messages from one person form a run, and every run after the first is a
-- response by its sender to the run before it. Wall latency is the time between the two runs'
-- first messages; working latency is the part of that span inside the responder's working shifts.
-- Spans longer than latencyCapDays are not responses. Only roster people's responses are kept.
WITH stream_messages AS (
    -- A stream is a conversation and a thread; thread_ts is null for the top-level stream of a DM
    -- or group DM. The sender is the person when known (one person may have several accounts).
    -- One pass over the messages: a DM's thread parent belongs to both its DM's top-level stream
    -- and its thread, so each message lists the streams it is in.
    SELECT
        conversation_key,
        unnest(list_concat(
            CASE WHEN is_direct AND NOT is_thread_reply THEN [NULL::TIMESTAMPTZ] ELSE [] END,
            CASE WHEN thread_ts IS NOT NULL THEN [thread_ts] ELSE [] END
        )) AS thread_ts,
        sent_at,
        coalesce(sender_id, user_key) AS sender,
        sender_id
    FROM intermediate.int_messages
    WHERE (is_direct AND NOT is_thread_reply) OR thread_ts IS NOT NULL
),
run_starts AS (
    SELECT *
    FROM stream_messages
    QUALIFY sender IS DISTINCT FROM lag(sender) OVER (PARTITION BY conversation_key, thread_ts ORDER BY sent_at)
),
responses AS (
    SELECT
        conversation_key,
        thread_ts IS NOT NULL AS in_thread,
        sent_at,
        sender_id AS person_id,
        lag(sent_at) OVER (PARTITION BY conversation_key, thread_ts ORDER BY sent_at) AS previous_run_at
    FROM run_starts
),
capped AS (
    SELECT *
    FROM responses
    WHERE previous_run_at IS NOT NULL
      AND person_id IS NOT NULL
      AND epoch_us(sent_at) - epoch_us(previous_run_at)
          <= (SELECT latency_cap_days FROM meta.build_params)::BIGINT * 86400000000
),
-- The responder's timeline segment holding the response places it in its week and gives the
-- working time accumulated at it; the segment holding the answered run gives the working time
-- accumulated then. Both are found by an equality join on (person, UTC day) and a range check.
located AS (
    SELECT
        capped.*,
        now_line.week_start,
        coalesce(now_line.worked_before_us + least(greatest(epoch_us(capped.sent_at) - epoch_us(now_line.shift_start_at), 0), now_line.shift_us), 0) AS worked_at_response_us
    FROM capped
    JOIN intermediate.int_person_timeline AS now_line
      ON capped.person_id = now_line.person_id
     AND epoch_us(capped.sent_at) // 86400000000 = now_line.utc_day
     AND capped.sent_at >= now_line.segment_start_at
     AND capped.sent_at < now_line.segment_end_at
    WHERE now_line.week_start IS NOT NULL
)
SELECT
    located.conversation_key,
    located.in_thread,
    located.sent_at,
    located.person_id,
    located.week_start,
    located.previous_run_at,
    (epoch_us(located.sent_at) - epoch_us(located.previous_run_at)) / 6e7 AS latency_wall_minutes,
    (located.worked_at_response_us - coalesce(then_line.worked_before_us + least(greatest(epoch_us(located.previous_run_at) - epoch_us(then_line.shift_start_at), 0), then_line.shift_us), 0)) / 6e7 AS latency_working_minutes
FROM located
LEFT JOIN intermediate.int_person_timeline AS then_line
  ON located.person_id = then_line.person_id
 AND epoch_us(located.previous_run_at) // 86400000000 = then_line.utc_day
 AND located.previous_run_at >= then_line.segment_start_at
 AND located.previous_run_at < then_line.segment_end_at
