-- Responses. Streams: the top-level messages of each DM or group DM form one stream, and each
-- thread (its parent and replies) forms one; top-level channel messages form none. Within a stream,
-- consecutive counted messages from one person form a run, and every run after the first is a
-- response by its sender to the run before it. Wall latency is the time between the two runs'
-- first messages; working latency is the part of that span inside the responder's working shifts.
-- Spans longer than latencyCapDays are not responses. Only roster people's responses are kept.
--
-- Streams are sorted twice (to find the runs, then the run before each), so the sort keys are
-- integers: each conversation and each sender is numbered first, and the salted string keys are
-- looked up again only for the responses. Every message's conversation is listed (a source check
-- fails the build otherwise). Accounts missing from the account list are numbered apart (negative
-- numbers, from the messages read here and the stream tails before them), so no two senders are
-- ever numbered alike and the sorted rows carry no strings.
WITH conversation_numbers AS (
    SELECT conversation_key, row_number() OVER (ORDER BY conversation_key)::INTEGER AS conversation_no
    FROM staging.stg_slack__conversations
),
sender_numbers AS (
    SELECT user_key, person_id, dense_rank() OVER (ORDER BY coalesce(person_id, user_key))::INTEGER AS sender_no
    FROM intermediate.int_slack_identities
),
-- An incremental build reads only the messages near the weeks it rebuilds (and `lookback` days
-- more, the longest latency there is). Whether a stream's first message among them starts a run
-- depends on the message before it, however old, so each stream's last message before the first
-- instant in scope (the variable incremental_scope_start) is put first: the latest of its last
-- messages in the whole UTC weeks before (int_stream_tails) and of its messages from the start of
-- the UTC week holding that instant up to it (read whole, `whole_…`, not in scope), for the
-- streams in scope (those with a message within a week of the scope, which int_stream_tails read
-- in scope lists). In a full build the variable is unset: nothing lies before. The stream readings
-- are written out apart: as one union read twice, DuckDB materialised its 7 M stream rows (1.2 GB
-- more at 1,000 people). A DM's thread parent is in two streams, its DM's and its thread's, so the
-- streams are two readings of the messages, not rows unnested from a list of each message's
-- streams, which cost more (docs/benchmarks.md).
streams AS (
    SELECT messages.conversation_key, NULL::TIMESTAMPTZ AS thread_ts, messages.sent_at, messages.user_key
    FROM intermediate.int_messages AS messages
    WHERE messages.is_direct AND NOT messages.is_thread_reply
    UNION ALL
    SELECT messages.conversation_key, messages.thread_ts, messages.sent_at, messages.user_key
    FROM intermediate.int_messages AS messages
    WHERE messages.thread_ts IS NOT NULL
),
-- The UTC Monday on or before the first instant in scope, by the arithmetic of int_stream_tails.
tails_end AS (
    SELECT DATE '1970-01-05' + 7 * fdiv(epoch_us(getvariable('incremental_scope_start')::TIMESTAMPTZ) - 345600000000, 604800000000)::INTEGER AS week_start
),
earlier_streams AS (
    SELECT whole_messages.conversation_key, NULL::TIMESTAMPTZ AS thread_ts, whole_messages.sent_at, whole_messages.user_key
    FROM intermediate.int_messages AS whole_messages
    WHERE whole_messages.sent_at >= (SELECT week_start FROM tails_end)::TIMESTAMP AT TIME ZONE 'UTC'
      AND whole_messages.sent_at < getvariable('incremental_scope_start')
      AND whole_messages.is_direct AND NOT whole_messages.is_thread_reply
    UNION ALL
    SELECT whole_messages.conversation_key, whole_messages.thread_ts, whole_messages.sent_at, whole_messages.user_key
    FROM intermediate.int_messages AS whole_messages
    WHERE whole_messages.sent_at >= (SELECT week_start FROM tails_end)::TIMESTAMP AT TIME ZONE 'UTC'
      AND whole_messages.sent_at < getvariable('incremental_scope_start')
      AND whole_messages.thread_ts IS NOT NULL
    UNION ALL
    SELECT whole_tails.conversation_key, whole_tails.thread_ts, whole_tails.sent_at, whole_tails.user_key
    FROM intermediate.int_stream_tails AS whole_tails
    WHERE whole_tails.week_start < (SELECT week_start FROM tails_end)
),
previous_messages AS (
    SELECT earlier_streams.conversation_key, earlier_streams.thread_ts, max(earlier_streams.sent_at) AS sent_at, arg_max(earlier_streams.user_key, earlier_streams.sent_at) AS user_key
    FROM earlier_streams
    SEMI JOIN (
        SELECT DISTINCT conversation_key, thread_ts FROM intermediate.int_stream_tails
        WHERE getvariable('incremental_scope_start') IS NOT NULL
    ) AS in_scope
      ON in_scope.conversation_key = earlier_streams.conversation_key
     AND in_scope.thread_ts IS NOT DISTINCT FROM earlier_streams.thread_ts
    GROUP BY earlier_streams.conversation_key, earlier_streams.thread_ts
),
unlisted_numbers AS (
    SELECT senders.user_key, -row_number() OVER (ORDER BY senders.user_key)::INTEGER AS sender_no
    FROM (
        SELECT user_key FROM staging.stg_slack__messages WHERE user_key IS NOT NULL
        UNION
        SELECT user_key FROM previous_messages
    ) AS senders
    ANTI JOIN intermediate.int_slack_identities AS listed USING (user_key)
),
stream_messages AS (
    SELECT
        conversation_numbers.conversation_no,
        streams.thread_ts,
        streams.sent_at,
        coalesce(sender_numbers.sender_no, unlisted_numbers.sender_no) AS sender_no
    FROM (SELECT * FROM streams UNION ALL SELECT * FROM previous_messages) AS streams
    JOIN conversation_numbers USING (conversation_key)
    LEFT JOIN sender_numbers USING (user_key)
    LEFT JOIN unlisted_numbers USING (user_key)
),
run_starts AS (
    SELECT *
    FROM stream_messages
    WINDOW stream AS (PARTITION BY conversation_no, thread_ts ORDER BY sent_at)
    QUALIFY sender_no IS DISTINCT FROM lag(sender_no) OVER stream
),
responses AS (
    SELECT
        conversation_no,
        thread_ts IS NOT NULL AS in_thread,
        sent_at,
        sender_no,
        lag(sent_at) OVER (PARTITION BY conversation_no, thread_ts ORDER BY sent_at) AS previous_run_at
    FROM run_starts
),
-- The responder's timeline, keyed by sender number: the joins below compare integers, not keys.
people_timeline AS (
    SELECT people.sender_no, timeline.*
    FROM intermediate.int_person_timeline AS timeline
    JOIN (SELECT DISTINCT sender_no, person_id FROM sender_numbers WHERE person_id IS NOT NULL) AS people USING (person_id)
),
capped AS (
    SELECT conversation_no, in_thread, sent_at, sender_no, previous_run_at
    FROM responses
    WHERE previous_run_at IS NOT NULL
      AND epoch_us(sent_at) - epoch_us(previous_run_at)
          <= (SELECT latency_cap_days FROM meta.build_params)::BIGINT * 86400000000
),
-- The responder's timeline segment holding the response places it in its week and gives the
-- working time accumulated at it; the segment holding the answered run gives the working time
-- accumulated then. Both are found by an equality join on (person, UTC day) and a range check.
located AS (
    SELECT
        capped.*,
        now_line.person_id,
        now_line.week_start,
        coalesce(now_line.worked_before_us + least(greatest(epoch_us(capped.sent_at) - epoch_us(now_line.shift_start_at), 0), now_line.shift_us), 0) AS worked_at_response_us
    FROM capped
    JOIN people_timeline AS now_line
      ON capped.sender_no = now_line.sender_no
     AND epoch_us(capped.sent_at) // 86400000000 = now_line.utc_day
     AND capped.sent_at >= now_line.segment_start_at
     AND capped.sent_at < now_line.segment_end_at
    WHERE now_line.week_start IS NOT NULL
)
SELECT
    conversation_numbers.conversation_key,
    located.in_thread,
    located.sent_at,
    located.person_id,
    located.week_start,
    located.previous_run_at,
    (epoch_us(located.sent_at) - epoch_us(located.previous_run_at)) / 6e7 AS latency_wall_minutes,
    (located.worked_at_response_us - coalesce(then_line.worked_before_us + least(greatest(epoch_us(located.previous_run_at) - epoch_us(then_line.shift_start_at), 0), then_line.shift_us), 0)) / 6e7 AS latency_working_minutes
FROM located
JOIN conversation_numbers USING (conversation_no)
LEFT JOIN people_timeline AS then_line
  ON located.sender_no = then_line.sender_no
 AND epoch_us(located.previous_run_at) // 86400000000 = then_line.utc_day
 AND located.previous_run_at >= then_line.segment_start_at
 AND located.previous_run_at < then_line.segment_end_at
