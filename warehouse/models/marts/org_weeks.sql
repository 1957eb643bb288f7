-- The whole organisation per week: the reference line next to every team. Like team_weeks, it
-- carries no exact count of active people (docs/privacy.md).
SELECT * EXCLUDE (group_key, members_active, calendar_contributors, message_contributors, latency_contributors)
FROM intermediate.int_group_weeks
WHERE group_key = ''
