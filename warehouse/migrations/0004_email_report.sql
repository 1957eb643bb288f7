-- Version 4: the weekly email report's deliveries, so each (manager, week) is sent exactly once.
-- Keyed by the manager's pseudonymous person key, never the address; errors are stored without
-- addresses. Documented in docs/data-model.md and docs/email-report.md.
CREATE TABLE meta.report_deliveries (
    manager_key     VARCHAR NOT NULL,
    week_start      DATE NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('sending', 'sent', 'retry', 'failed')),
    attempts        INTEGER NOT NULL,
    claim_token     VARCHAR,
    claimed_at      TIMESTAMPTZ,
    next_attempt_at TIMESTAMPTZ,
    last_error      VARCHAR,
    message_id      VARCHAR,
    sent_at         TIMESTAMPTZ,
    PRIMARY KEY (manager_key, week_start)
);
