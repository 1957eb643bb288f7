-- The whole organisation per week: the reference line next to every team.
SELECT * EXCLUDE (group_key)
FROM intermediate.int_group_weeks
WHERE group_key = ''
