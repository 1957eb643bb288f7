-- Every team that appears in any snapshot, including each prefix of a path (Engineering for
-- Engineering/Platform), with its size in the latest snapshot (members of descendants included).
WITH paths AS (
    SELECT DISTINCT team_path FROM staging.stg_roster__people
),
prefixes AS (
    SELECT DISTINCT array_to_string(string_split(team_path, '/')[1:depth], '/') AS team_path
    FROM paths, LATERAL generate_series(1, len(string_split(team_path, '/'))) AS levels(depth)
),
latest_members AS (
    SELECT p.team_path AS member_team, count(*) AS people
    FROM staging.stg_roster__people AS p
    JOIN staging.stg_roster__snapshots AS s ON s.as_of = p.as_of AND s.is_latest
    GROUP BY ALL
)
SELECT
    t.team_path,
    nullif(array_to_string(string_split(t.team_path, '/')[1:-2], '/'), '') AS parent_path,
    string_split(t.team_path, '/')[-1] AS team_name,
    len(string_split(t.team_path, '/')) AS depth,
    coalesce((SELECT sum(m.people) FROM latest_members AS m
              WHERE m.member_team = t.team_path OR starts_with(m.member_team, t.team_path || '/')), 0)::INTEGER AS members_now
FROM prefixes AS t
