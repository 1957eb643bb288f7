-- Who may see which team: a manager sees every team in which one of their direct or indirect
-- reports is a member in the latest snapshot, together with that team's descendants. Admins
-- (from the config) see everything and are handled by the server, not here.
WITH RECURSIVE latest AS (
    SELECT p.person_id, p.email, p.manager_email, p.team_path
    FROM staging.stg_roster__people AS p
    JOIN staging.stg_roster__snapshots AS s ON s.as_of = p.as_of AND s.is_latest
),
reports (manager_email, report_email, depth) AS (
    SELECT manager_email, email, 1 FROM latest WHERE manager_email IS NOT NULL
    UNION
    SELECT r.manager_email, l.email, r.depth + 1
    FROM reports AS r
    JOIN latest AS l ON l.manager_email = r.report_email
    WHERE r.depth < 50
),
report_teams AS (
    SELECT DISTINCT r.manager_email, l.team_path
    FROM reports AS r
    JOIN latest AS l ON l.email = r.report_email
)
SELECT DISTINCT rt.manager_email AS viewer_email, t.team_path
FROM report_teams AS rt
JOIN marts.teams AS t ON t.team_path = rt.team_path OR starts_with(t.team_path, rt.team_path || '/')
