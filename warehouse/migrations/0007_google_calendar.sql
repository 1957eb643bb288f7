-- Google Calendar live sync: one row per synced calendar (each person's primary calendar, keyed
-- like the calendar tables by the owner's salted hash). The sync token is Google's opaque cursor
-- for the next incremental sync; it is not a credential. Documented in docs/data-model.md.
CREATE TABLE meta.google_calendar_sync (
    owner_id             VARCHAR PRIMARY KEY,
    sync_token           VARCHAR,
    window_start         TIMESTAMPTZ,
    window_end           TIMESTAMPTZ,
    all_day_start        DATE,
    all_day_end          DATE,
    last_attempt_at      TIMESTAMPTZ NOT NULL,
    last_success_at      TIMESTAMPTZ,
    last_error           VARCHAR,
    consecutive_failures INTEGER NOT NULL
);
