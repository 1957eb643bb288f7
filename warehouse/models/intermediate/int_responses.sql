-- Responses. Streams: the top-level messages of each DM or group DM form one stream, and each
-- thread (its parent and replies) forms one; top-level channel messages form none. Within a stream,
-- consecutive counted messages from one person form a run, and every run after the first is a
-- response by its sender to the run before it. Wall latency is the time between the two runs'
-- first messages; working latency is the part of that span inside the responder's working shifts.
-- Spans longer than latencyCapDays are not responses. Only roster people's responses are kept.
WITH stream_messages AS (
    -- A stream is a conversation and a thread; thread_ts is null for the top-level stream of a DM
    -- or group DM. The sender is the person when known (one person may have several accounts).
    SELECT conversation_key, NULL::TIMESTAMPTZ AS thread_ts, sent_at, coalesce(sender_id, user_key) AS sender, sender_id
    FROM intermediate.int_messages
    WHERE is_direct AND NOT is_thread_reply
    UNION ALL
    SELECT conversation_key, thread_ts, sent_at, coalesce(sender_id, user_key), sender_id
    FROM intermediate.int_messages
    WHERE thread_ts IS NOT NULL
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
worked_until_response AS (
    SELECT
        capped.*,
        coalesce(now_shift.worked_before_us + least(greatest(epoch_us(capped.sent_at) - epoch_us(now_shift.shift_start_at), 0), now_shift.shift_us), 0) AS worked_at_response_us
    FROM capped
    ASOF LEFT JOIN intermediate.int_working_time AS now_shift
      ON capped.person_id = now_shift.person_id AND capped.sent_at >= now_shift.shift_start_at
),
worked_until_previous AS (
    SELECT
        worked_until_response.*,
        coalesce(then_shift.worked_before_us + least(greatest(epoch_us(worked_until_response.previous_run_at) - epoch_us(then_shift.shift_start_at), 0), then_shift.shift_us), 0) AS worked_at_previous_us
    FROM worked_until_response
    ASOF LEFT JOIN intermediate.int_working_time AS then_shift
      ON worked_until_response.person_id = then_shift.person_id AND worked_until_response.previous_run_at >= then_shift.shift_start_at
)
SELECT
    worked.conversation_key,
    worked.in_thread,
    worked.sent_at,
    worked.person_id,
    weeks.week_start,
    worked.previous_run_at,
    (epoch_us(worked.sent_at) - epoch_us(worked.previous_run_at)) / 6e7 AS latency_wall_minutes,
    (worked.worked_at_response_us - worked.worked_at_previous_us) / 6e7 AS latency_working_minutes
FROM worked_until_previous AS worked
ASOF JOIN intermediate.int_person_weeks AS weeks
  ON worked.person_id = weeks.person_id AND worked.sent_at >= weeks.week_start_at
WHERE worked.sent_at < weeks.week_end_at
