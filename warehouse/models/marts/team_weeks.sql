-- One row per team and week; a team includes its descendants' members. What every output reads:
-- exact counts of active people and contributors stay in intermediate.int_group_weeks, this mart
-- carries their bands only (docs/privacy.md).
SELECT group_key AS team_path, * EXCLUDE (group_key, members_active, calendar_contributors, message_contributors, latency_contributors)
FROM intermediate.int_group_weeks
WHERE group_key <> ''
