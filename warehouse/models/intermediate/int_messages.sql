-- Counted messages: sent by a human (not a bot) with no subtype, or subtype thread_broadcast,
-- file_share or me_message. Joins, leaves, topic and purpose changes and every other system
-- subtype are not messages anyone wrote, so they count nowhere.
SELECT
    messages.conversation_key,
    messages.sent_at,
    messages.user_key,
    identities.person_id AS sender_id,
    coalesce(conversations.conversation_type, 'unknown') AS conversation_type,
    coalesce(conversations.is_public, false) AS is_public,
    coalesce(conversations.is_direct, false) AS is_direct,
    messages.thread_ts,
    messages.is_thread_reply
FROM staging.stg_slack__messages AS messages
LEFT JOIN intermediate.int_slack_identities AS identities USING (user_key)
LEFT JOIN staging.stg_slack__conversations AS conversations USING (conversation_key)
WHERE messages.user_key IS NOT NULL
  AND messages.bot_id IS NULL
  AND NOT coalesce(identities.is_bot, false)
  AND (messages.subtype IS NULL OR messages.subtype IN ('thread_broadcast', 'file_share', 'me_message'))
