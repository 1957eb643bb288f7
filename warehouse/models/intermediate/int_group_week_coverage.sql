-- What each group-week rests on (docs/metrics.md, Data coverage and Probable holidays): how many
-- of its members (roster people that week) have calendar data, Slack data, both or neither, and
-- the group's activity, the hours of communication per member with data. Exact counts stay in
-- the warehouse: marts.team_week_marks publishes them only for team-weeks that are shown at all.
WITH params AS (
    SELECT * FROM meta.build_params
),
inputs AS (
    SELECT groups.group_key, groups.week_start, metrics.has_calendar, metrics.has_slack,
           metrics.meeting_hours, metrics.messages_sent
    FROM intermediate.int_group_members AS groups
    JOIN intermediate.int_person_week_metrics AS metrics USING (person_id, week_start)
),
counted AS (
    SELECT
        group_key,
        week_start,
        count(*)::INTEGER AS members,
        count(*) FILTER (WHERE has_calendar)::INTEGER AS calendar_members,
        count(*) FILTER (WHERE has_slack)::INTEGER AS slack_members,
        count(*) FILTER (WHERE has_calendar AND has_slack)::INTEGER AS both_members,
        count(*) FILTER (WHERE NOT has_calendar AND NOT has_slack)::INTEGER AS neither_members,
        -- avg skips nulls, so each part is a mean over the members that source covers, active or
        -- not: a holiday is precisely a week in which many members are not active.
        avg(meeting_hours) AS meeting_hours_per_member,
        avg(messages_sent) AS messages_per_member
    FROM inputs
    GROUP BY group_key, week_start
)
SELECT
    counted.* EXCLUDE (messages_per_member),
    messages_per_member * params.minutes_per_message / 60 AS message_hours_per_member,
    CASE
        WHEN meeting_hours_per_member IS NOT NULL AND messages_per_member IS NOT NULL THEN 'calendar+slack'
        WHEN meeting_hours_per_member IS NOT NULL THEN 'calendar'
        WHEN messages_per_member IS NOT NULL THEN 'slack'
    END AS activity_sources,
    -- The sum of the parts the group-week has; weeks are compared only with weeks of the same parts.
    CASE
        WHEN meeting_hours_per_member IS NOT NULL OR messages_per_member IS NOT NULL
        THEN coalesce(meeting_hours_per_member, 0) + coalesce(messages_per_member * params.minutes_per_message / 60, 0)
    END AS activity_hours
FROM counted
CROSS JOIN params
