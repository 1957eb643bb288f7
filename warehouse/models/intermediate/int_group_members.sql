-- Who counts in which group each week: a team aggregates its own members and those of all its
-- descendants (Engineering includes Engineering/Platform), and the empty group key stands for
-- the whole organisation.
SELECT
    unnest(list_concat(
        list_transform(
            range(1, len(string_split(team_path, '/')) + 1),
            depth -> array_to_string(string_split(team_path, '/')[1:depth], '/')
        ),
        ['']
    )) AS group_key,
    person_id,
    week_start
FROM intermediate.int_person_week_metrics
