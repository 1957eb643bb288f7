-- Organisation-wide match rates for admins (docs/metrics.md, Match rates): roster people now with
-- a matched Slack account and with an imported calendar, and the Slack accounts and calendar
-- owners that match nobody on any roster snapshot.
WITH roster_ever AS (
    SELECT DISTINCT person_id FROM staging.stg_roster__people
),
latest AS (
    SELECT DISTINCT people.person_id
    FROM staging.stg_roster__people AS people
    JOIN staging.stg_roster__snapshots AS snapshots ON snapshots.as_of = people.as_of AND snapshots.is_latest
),
slack_people AS (
    SELECT DISTINCT person_id FROM intermediate.int_slack_identities WHERE person_id IS NOT NULL AND NOT is_bot
),
calendar_owners AS (
    SELECT DISTINCT owner_id FROM staging.stg_calendar__coverage WHERE owner_id IS NOT NULL
)
SELECT
    (SELECT count(*) FROM latest)::INTEGER AS roster_people_now,
    (SELECT count(*) FROM latest JOIN slack_people USING (person_id))::INTEGER AS roster_with_slack,
    (SELECT count(*) FROM latest JOIN calendar_owners ON calendar_owners.owner_id = latest.person_id)::INTEGER AS roster_with_calendar,
    -- Humans only, and not deactivated: bots are nobody, and a deactivated account of someone who
    -- left is not a gap to fix.
    (SELECT count(*) FROM intermediate.int_slack_identities
     WHERE person_id IS NULL AND NOT is_bot AND NOT is_deleted)::INTEGER AS unmatched_slack_accounts,
    (SELECT count(*) FROM calendar_owners
     WHERE owner_id NOT IN (SELECT person_id FROM roster_ever))::INTEGER AS unmatched_calendar_owners
