/**
 * The floor of `npm run bench`: two of the product's metrics written the way an analyst who knows
 * DuckDB would write them, one plain query each straight over the raw tables, so the bench can
 * say how far the models behind them are from the least a computation of those numbers costs.
 *
 * Both read the raw tables plus the person-week calendar (`intermediate.int_person_weeks`: who is
 * on the roster in which zone each week, one row per person-week), which the models share, and
 * the defaults of `defaultConfig()` (meetings of at most 8 hours, responses within 7 days). Their
 * definitions are those of docs/metrics.md; `floorDifferences` checks them against
 * `marts.person_weeks` wherever the mart knows the metric.
 */
import type { Warehouse } from '../warehouse/db.ts';

export type FloorMetric = 'meeting_hours' | 'response_median_wall_minutes';

/** Merged meeting hours per person-week: the person's meetings, unioned, cut at week bounds. */
const MEETING_HOURS = `
WITH attendance AS (
    SELECT
        owner_id, event_key, recurrence_key,
        count(DISTINCT attendee_id) FILTER (WHERE attendee_kind = 'person') AS people,
        bool_or(attendee_id = owner_id AND attendee_kind = 'person') AS owner_listed,
        max(response_status) FILTER (WHERE attendee_id = owner_id) AS owner_response
    FROM raw.calendar_attendees
    GROUP BY ALL
),
meetings AS (
    SELECT events.owner_id AS person_id, events.start_at, events.end_at
    FROM raw.calendar_events AS events
    JOIN attendance USING (owner_id, event_key, recurrence_key)
    WHERE events.status <> 'cancelled' AND NOT events.is_all_day AND events.event_type = 'default'
      AND events.transparency = 'opaque'
      AND (epoch_us(events.end_at) - epoch_us(events.start_at)) / 3.6e9 > 0
      AND (epoch_us(events.end_at) - epoch_us(events.start_at)) / 3.6e9 <= 8
      AND attendance.people + CASE WHEN attendance.owner_listed THEN 0 ELSE 1 END >= 2
      AND (attendance.owner_response = 'accepted'
           OR (events.organizer_id = events.owner_id AND coalesce(attendance.owner_response, '') <> 'declined'))
),
starts AS (
    SELECT *, coalesce(start_at > max(end_at) OVER (
        PARTITION BY person_id ORDER BY start_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
    ), true) AS starts_island
    FROM meetings
),
islands AS (
    SELECT person_id, min(start_at) AS start_at, max(end_at) AS end_at
    FROM (SELECT *, sum(starts_island::INTEGER) OVER (PARTITION BY person_id ORDER BY start_at, starts_island DESC ROWS UNBOUNDED PRECEDING) AS island FROM starts)
    GROUP BY person_id, island
)
SELECT
    weeks.person_id,
    weeks.week_start,
    sum((epoch_us(least(islands.end_at, weeks.week_end_at)) - epoch_us(greatest(islands.start_at, weeks.week_start_at))) / 3.6e9) AS value
FROM islands
JOIN intermediate.int_person_weeks AS weeks
  ON weeks.person_id = islands.person_id
 AND islands.start_at < weeks.week_end_at
 AND islands.end_at > weeks.week_start_at
GROUP BY ALL`;

/**
 * Median clock response time per person-week: in each DM's top level and each thread, a run of
 * one person's messages answers the run before it, if within 7 days.
 */
const RESPONSE_MEDIANS = `
WITH identities AS (
    SELECT users.user_key, users.is_bot, coalesce(by_email.person_id, by_slack_id.person_id) AS person_id
    FROM raw.slack_users AS users
    LEFT JOIN (SELECT DISTINCT person_id FROM raw.roster_people) AS by_email
      ON by_email.person_id = users.email_person_id
    LEFT JOIN (
        SELECT slack_user_key, arg_max(person_id, as_of) AS person_id
        FROM raw.roster_people WHERE slack_user_key IS NOT NULL GROUP BY slack_user_key
    ) AS by_slack_id ON by_slack_id.slack_user_key = users.user_key
),
messages AS (
    SELECT
        messages.conversation_key, messages.ts, messages.thread_ts,
        messages.thread_ts IS NOT NULL AND messages.thread_ts <> messages.ts AS is_reply,
        coalesce(conversations.conversation_type IN ('im', 'mpim'), false) AS is_direct,
        coalesce(identities.person_id, messages.user_key) AS sender,
        identities.person_id
    FROM raw.slack_messages AS messages
    LEFT JOIN identities USING (user_key)
    LEFT JOIN raw.slack_conversations AS conversations USING (conversation_key)
    WHERE messages.user_key IS NOT NULL AND messages.bot_id IS NULL AND NOT coalesce(identities.is_bot, false)
      AND (messages.subtype IS NULL OR messages.subtype IN ('thread_broadcast', 'file_share', 'me_message'))
),
streams AS (
    SELECT conversation_key, NULL::TIMESTAMPTZ AS stream, ts, sender, person_id FROM messages WHERE is_direct AND NOT is_reply
    UNION ALL
    SELECT conversation_key, thread_ts, ts, sender, person_id FROM messages WHERE thread_ts IS NOT NULL
),
runs AS (
    SELECT * FROM streams
    QUALIFY sender IS DISTINCT FROM lag(sender) OVER (PARTITION BY conversation_key, stream ORDER BY ts)
),
responses AS (
    SELECT person_id, ts, lag(ts) OVER (PARTITION BY conversation_key, stream ORDER BY ts) AS previous_ts
    FROM runs
)
SELECT weeks.person_id, weeks.week_start, quantile_cont((epoch_us(responses.ts) - epoch_us(responses.previous_ts)) / 6e7, 0.5) AS value
FROM responses
ASOF JOIN intermediate.int_person_weeks AS weeks
  ON responses.person_id = weeks.person_id AND responses.ts >= weeks.week_start_at
WHERE responses.person_id IS NOT NULL AND responses.previous_ts IS NOT NULL
  AND epoch_us(responses.ts) - epoch_us(responses.previous_ts) <= 7 * 86400000000
  AND responses.ts < weeks.week_end_at
GROUP BY ALL`;

export const FLOOR_QUERIES: Record<FloorMetric, string> = {
  meeting_hours: MEETING_HOURS,
  response_median_wall_minutes: RESPONSE_MEDIANS,
};

/**
 * Person-weeks where the mart knows the metric, and how many of them the floor's table
 * (`floor_<metric>`, missing rows meaning zero meeting hours or no responses) gets wrong by more
 * than 1e-9 (parallel sums add in any order).
 */
export async function floorDifferences(
  db: Warehouse,
  metric: FloorMetric,
): Promise<{ compared: number; different: number }> {
  // A person-week without meetings has 0 meeting hours; one without responses has no median,
  // which the mart knows wherever Slack covers the week.
  const missing = metric === 'meeting_hours' ? '0' : 'NULL';
  const known = metric === 'meeting_hours' ? 'mart.meeting_hours IS NOT NULL' : 'mart.has_slack';
  const row = await db.one(
    `SELECT count(*)::INTEGER AS compared,
            count(*) FILTER (WHERE NOT (
                coalesce(floor.value, ${missing}) IS NOT DISTINCT FROM mart.${metric}
                OR abs(coalesce(floor.value, ${missing}) - mart.${metric}) <= 1e-9 * greatest(1, abs(mart.${metric}))
            ))::INTEGER AS different
     FROM marts.person_weeks AS mart
     LEFT JOIN floor_${metric} AS floor USING (person_id, week_start)
     WHERE ${known}`,
  );
  return { compared: Number(row?.['compared'] ?? 0), different: Number(row?.['different'] ?? 0) };
}
