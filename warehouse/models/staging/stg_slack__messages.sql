SELECT
    conversation_key,
    ts AS sent_at,
    user_key,
    thread_ts,
    parent_user_key,
    subtype,
    bot_id,
    reply_count,
    thread_ts IS NOT NULL AND thread_ts <> ts AS is_thread_reply,
    thread_ts IS NOT NULL AND thread_ts = ts AS is_thread_parent
FROM raw.slack_messages
