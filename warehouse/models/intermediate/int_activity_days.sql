-- Each person's first and last activity per UTC day inside the plausible range: counted messages
-- they sent, and meetings by their start. int_weeks bounds the reported weeks by these rows, a
-- few per person and day, instead of reading all 13 M messages again, and an incremental build
-- recomputes only the days near new data. The range's end (latest_plausible_at) only moves later
-- and nothing beyond it is ever imported (warehouse/bounds.ts), so a day kept from an earlier
-- build holds what a full build would.
WITH params AS (
    SELECT * FROM meta.build_params
),
activity AS (
    SELECT sender_id AS person_id, sent_at AS at
    FROM intermediate.int_messages
    WHERE sender_id IS NOT NULL
    UNION ALL
    SELECT person_id, start_at
    FROM intermediate.int_meetings
)
SELECT
    activity.person_id,
    -- Days since 1970-01-01, floored (before 1970 too).
    fdiv(epoch_us(activity.at), 86400000000)::BIGINT AS utc_day,
    min(activity.at) AS first_at,
    max(activity.at) AS last_at
FROM activity, params
WHERE activity.at >= params.earliest_plausible_at AND activity.at < params.latest_plausible_at
GROUP BY activity.person_id, utc_day
