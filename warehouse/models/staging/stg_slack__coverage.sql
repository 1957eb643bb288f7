-- The periods for which Slack was imported completely (an export's first to last day): inside
-- them, a person without messages sent none; outside them, message metrics are unknown.
SELECT DISTINCT
    window_start,
    window_end,
    source
FROM raw.slack_coverage
