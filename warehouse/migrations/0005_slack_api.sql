-- Version 4: the Slack API sync's state per conversation. Documented in docs/data-model.md.
-- A conversation's row is written in the same transaction as the messages read for it, so after a
-- crash the state never claims a page that did not land.
CREATE TABLE meta.slack_sync_conversations (
    conversation_key VARCHAR PRIMARY KEY,
    synced_from      TIMESTAMPTZ,
    synced_through   TIMESTAMPTZ,
    newest_ts        TIMESTAMPTZ,
    last_synced_at   TIMESTAMPTZ,
    last_error       VARCHAR CHECK (last_error IN ('not_in_channel', 'missing_scope', 'channel_not_found', 'failed')),
    last_error_at    TIMESTAMPTZ,
    run_id           BIGINT NOT NULL,
    CHECK ((synced_from IS NULL) = (synced_through IS NULL)),
    CHECK (synced_through IS NULL OR synced_through >= synced_from)
);
