-- Per team, the gaps of its current roster (docs/metrics.md, Match rates): people on the team now
-- (latest roster snapshot, descendants included) without a matched Slack account, and without any
-- imported calendar. Counts of a small group would point at people, so they are shown only for a
-- team of at least minGroupSize people now in which no team (itself or below) has 1 to
-- minGroupSize − 1 own members now: the roster-only rules of docs/privacy.md, on today's roster.
WITH params AS (
    SELECT * FROM meta.build_params
),
latest AS (
    SELECT people.person_id, people.team_path
    FROM staging.stg_roster__people AS people
    JOIN staging.stg_roster__snapshots AS snapshots ON snapshots.as_of = people.as_of AND snapshots.is_latest
),
slack_people AS (
    SELECT DISTINCT person_id FROM intermediate.int_slack_identities WHERE person_id IS NOT NULL AND NOT is_bot
),
calendar_people AS (
    SELECT DISTINCT owner_id AS person_id FROM staging.stg_calendar__coverage WHERE owner_id IS NOT NULL
),
people AS (
    SELECT
        latest.team_path,
        slack_people.person_id IS NOT NULL AS has_slack_account,
        calendar_people.person_id IS NOT NULL AS has_calendar
    FROM latest
    LEFT JOIN slack_people USING (person_id)
    LEFT JOIN calendar_people USING (person_id)
),
small_own AS (
    SELECT team_path FROM latest CROSS JOIN params
    GROUP BY team_path, params.min_group_size
    HAVING count(*) < params.min_group_size
),
gaps AS (
    SELECT
        teams.team_path,
        count(people.team_path)::INTEGER AS members_now,
        count(people.team_path) FILTER (WHERE NOT people.has_slack_account)::INTEGER AS without_slack,
        count(people.team_path) FILTER (WHERE NOT people.has_calendar)::INTEGER AS without_calendar,
        EXISTS (
            SELECT 1 FROM small_own
            WHERE small_own.team_path = teams.team_path OR starts_with(small_own.team_path, teams.team_path || '/')
        ) AS withheld
    FROM marts.teams AS teams
    LEFT JOIN people
      ON people.team_path = teams.team_path OR starts_with(people.team_path, teams.team_path || '/')
    GROUP BY teams.team_path
)
SELECT
    gaps.team_path,
    gaps.members_now,
    CASE
        WHEN gaps.members_now < params.min_group_size THEN 'small_team'
        WHEN gaps.withheld THEN 'small_sub_team'
    END AS gaps_hidden,
    CASE WHEN gaps.members_now >= params.min_group_size AND NOT gaps.withheld THEN gaps.without_slack END AS without_slack,
    CASE WHEN gaps.members_now >= params.min_group_size AND NOT gaps.withheld THEN gaps.without_calendar END AS without_calendar
FROM gaps
CROSS JOIN params
