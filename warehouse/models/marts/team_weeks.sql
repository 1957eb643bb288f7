-- One row per team and week; a team includes its descendants' members.
SELECT group_key AS team_path, * EXCLUDE (group_key)
FROM intermediate.int_group_weeks
WHERE group_key <> ''
