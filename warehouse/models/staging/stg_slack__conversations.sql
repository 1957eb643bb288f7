SELECT
    conversation_key,
    conversation_type,
    conversation_type = 'public_channel' AS is_public,
    conversation_type IN ('im', 'mpim') AS is_direct
FROM raw.slack_conversations
