-- Version 2: calendar and Slack metadata. Documented in docs/data-model.md.
-- No free text lives in any of these tables: no titles, descriptions, locations or message text.

CREATE TABLE raw.calendar_events (
    owner_id       VARCHAR NOT NULL,
    event_key      VARCHAR NOT NULL,
    recurrence_key VARCHAR NOT NULL,
    start_at       TIMESTAMPTZ,
    end_at         TIMESTAMPTZ,
    start_date     DATE,
    end_date       DATE,
    is_all_day     BOOLEAN NOT NULL,
    status         VARCHAR NOT NULL CHECK (status IN ('confirmed', 'tentative', 'cancelled')),
    transparency   VARCHAR NOT NULL CHECK (transparency IN ('opaque', 'transparent')),
    event_type     VARCHAR NOT NULL CHECK (event_type IN ('default', 'focusTime', 'outOfOffice', 'workingLocation', 'birthday', 'fromGmail')),
    is_recurring   BOOLEAN NOT NULL,
    organizer_id   VARCHAR,
    source         VARCHAR NOT NULL,
    run_id         BIGINT NOT NULL,
    CHECK (CASE WHEN is_all_day
                THEN start_date IS NOT NULL AND end_date IS NOT NULL AND end_date > start_date
                ELSE start_at IS NOT NULL AND end_at IS NOT NULL AND end_at >= start_at END)
);

CREATE TABLE raw.calendar_attendees (
    owner_id        VARCHAR NOT NULL,
    event_key       VARCHAR NOT NULL,
    recurrence_key  VARCHAR NOT NULL,
    attendee_id     VARCHAR NOT NULL,
    attendee_kind   VARCHAR NOT NULL CHECK (attendee_kind IN ('person', 'room', 'resource')),
    response_status VARCHAR NOT NULL CHECK (response_status IN ('accepted', 'declined', 'tentative', 'needsAction'))
);

CREATE TABLE raw.calendar_coverage (
    owner_id     VARCHAR NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    window_end   TIMESTAMPTZ NOT NULL,
    source       VARCHAR NOT NULL,
    run_id       BIGINT NOT NULL,
    CHECK (window_end > window_start)
);

CREATE TABLE raw.calendar_settings (
    owner_id VARCHAR PRIMARY KEY,
    timezone VARCHAR NOT NULL,
    source   VARCHAR NOT NULL,
    run_id   BIGINT NOT NULL
);

CREATE TABLE raw.slack_users (
    user_key        VARCHAR PRIMARY KEY,
    email_person_id VARCHAR,
    timezone        VARCHAR,
    is_bot          BOOLEAN NOT NULL,
    is_deleted      BOOLEAN NOT NULL,
    source          VARCHAR NOT NULL,
    run_id          BIGINT NOT NULL
);

CREATE TABLE raw.slack_conversations (
    conversation_key  VARCHAR PRIMARY KEY,
    conversation_type VARCHAR NOT NULL CHECK (conversation_type IN ('public_channel', 'private_channel', 'im', 'mpim')),
    source            VARCHAR NOT NULL,
    run_id            BIGINT NOT NULL
);

-- No primary key: at tens of millions of rows an index costs more than it protects. Importers
-- replace by (conversation_key, ts) and the uniqueness is checked by the model invariants.
CREATE TABLE raw.slack_messages (
    conversation_key VARCHAR NOT NULL,
    ts               TIMESTAMPTZ NOT NULL,
    user_key         VARCHAR,
    thread_ts        TIMESTAMPTZ,
    parent_user_key  VARCHAR,
    subtype          VARCHAR,
    bot_id           VARCHAR,
    reply_count      INTEGER,
    edited_ts        TIMESTAMPTZ,
    source           VARCHAR NOT NULL,
    run_id           BIGINT NOT NULL
);
