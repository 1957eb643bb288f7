/**
 * A deliberately simple reading of the metric definitions, straight on the raw tables, so the demo's
 * stories can be checked without the build's models (which are tested on their own). Simplified
 * where it does not matter for the stories: weeks are the generated weeks rather than each
 * person's local ISO weeks, part-day absences are ignored, and team membership is the latest
 * snapshot's.
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

const COUNTED = `(m.subtype IS NULL OR m.subtype IN ('thread_broadcast', 'file_share', 'me_message'))`;

/** Creates temporary views `story_*` for a period of `weeks` weeks starting on `firstMonday`. */
export async function createStoryViews(
  db: Warehouse,
  firstMonday: string,
  weeks: number,
): Promise<void> {
  const views: Record<string, string> = {
    // People with the build's fallbacks: roster, then calendar, then Slack zone, then UTC; default hours.
    people: `
      WITH latest AS (
        SELECT * FROM raw.roster_people WHERE as_of = (SELECT max(as_of) FROM raw.roster_snapshots))
      SELECT l.person_id, l.team_path,
             coalesce(l.timezone, cs.timezone, su.timezone, su2.timezone, 'UTC') AS zone,
             coalesce(l.work_days, [1, 2, 3, 4, 5]::TINYINT[]) AS days,
             coalesce(l.work_start, TIME '09:00') AS work_start,
             coalesce(l.work_end, TIME '17:00') AS work_end,
             coalesce(su.user_key, su2.user_key) AS user_key
      FROM latest AS l
      LEFT JOIN raw.calendar_settings AS cs ON cs.owner_id = l.person_id
      LEFT JOIN raw.slack_users AS su ON su.email_person_id = l.person_id
      LEFT JOIN raw.slack_users AS su2 ON su2.user_key = l.slack_user_key`,
    meetings: `
      SELECT e.owner_id, e.start_at, e.end_at, epoch(e.end_at - e.start_at) / 3600 AS hours
      FROM raw.calendar_events AS e
      JOIN raw.calendar_attendees AS me
        ON me.owner_id = e.owner_id AND me.event_key = e.event_key
       AND me.recurrence_key = e.recurrence_key AND me.attendee_id = e.owner_id
      WHERE e.status <> 'cancelled' AND NOT e.is_all_day AND e.event_type = 'default'
        AND e.transparency = 'opaque' AND e.end_at > e.start_at
        AND e.end_at - e.start_at <= INTERVAL 8 HOUR
        AND (me.response_status = 'accepted'
             OR (e.organizer_id = e.owner_id AND me.response_status <> 'declined'))
        AND (SELECT count(*) FROM raw.calendar_attendees AS a
             WHERE a.owner_id = e.owner_id AND a.event_key = e.event_key
               AND a.recurrence_key = e.recurrence_key AND a.attendee_kind = 'person') >= 2`,
    // Working shifts outside all-day out-of-office events, in UTC.
    shifts: `
      SELECT p.person_id, p.team_path, d::DATE AS day, d::DATE >= $change AS after_change,
             timezone(p.zone, d::DATE + p.work_start) AS shift_start,
             timezone(p.zone, d::DATE + p.work_end
                      + CASE WHEN p.work_end < p.work_start THEN INTERVAL 1 DAY ELSE INTERVAL 0 DAY END) AS shift_end
      FROM story_people AS p,
           generate_series($first::TIMESTAMP, $first::TIMESTAMP + INTERVAL (${7 * weeks - 1}) DAY, INTERVAL 1 DAY) AS g(d)
      WHERE list_contains(p.days, isodow(d)::TINYINT)
        AND NOT EXISTS (SELECT 1 FROM raw.calendar_events AS o
                        WHERE o.owner_id = p.person_id AND o.event_type = 'outOfOffice' AND o.is_all_day
                          AND d::DATE >= o.start_date AND d::DATE < o.end_date)`,
    // Each shift's meetings merged into busy islands.
    islands: `
      WITH clipped AS (
        SELECT s.person_id, s.team_path, s.day, s.after_change, s.shift_start, s.shift_end,
               greatest(m.start_at, s.shift_start) AS busy_start, least(m.end_at, s.shift_end) AS busy_end
        FROM story_shifts AS s
        JOIN story_meetings AS m ON m.owner_id = s.person_id
         AND m.start_at < s.shift_end AND m.end_at > s.shift_start),
      marked AS (
        SELECT *, coalesce(busy_start > max(busy_end) OVER (PARTITION BY person_id, day ORDER BY busy_start, busy_end
                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), true)::INTEGER AS opens
        FROM clipped),
      numbered AS (
        SELECT *, sum(opens) OVER (PARTITION BY person_id, day ORDER BY busy_start, busy_end ROWS UNBOUNDED PRECEDING) AS island
        FROM marked)
      SELECT person_id, team_path, day, after_change, island, any_value(shift_start) AS shift_start,
             any_value(shift_end) AS shift_end, min(busy_start) AS busy_start, max(busy_end) AS busy_end
      FROM numbered GROUP BY person_id, team_path, day, after_change, island`,
    // Free stretches of each shift, in minutes.
    gaps: `
      SELECT s.person_id, s.team_path, s.day, s.after_change, epoch(s.shift_end - s.shift_start) / 60 AS minutes
      FROM story_shifts AS s
      WHERE NOT EXISTS (SELECT 1 FROM story_islands AS i WHERE i.person_id = s.person_id AND i.day = s.day)
      UNION ALL
      SELECT person_id, team_path, day, after_change,
             epoch(busy_start - coalesce(lag(busy_end) OVER (PARTITION BY person_id, day ORDER BY island), shift_start)) / 60
      FROM story_islands
      UNION ALL
      SELECT person_id, team_path, day, after_change, epoch(any_value(shift_end) - max(busy_end)) / 60
      FROM story_islands GROUP BY person_id, team_path, day, after_change`,
    // Per team, per person-week: meeting load, focus hours, counted messages and their off-hours share.
    teams: `
      WITH work AS (SELECT team_path, sum(epoch(shift_end - shift_start)) AS seconds FROM story_shifts GROUP BY ALL),
      busy AS (SELECT team_path, sum(epoch(busy_end - busy_start)) AS seconds FROM story_islands GROUP BY ALL),
      focus AS (SELECT team_path, sum(minutes) FILTER (WHERE minutes >= 120) / 60 AS hours FROM story_gaps GROUP BY ALL),
      size AS (SELECT team_path, count(*) AS people FROM story_people GROUP BY ALL),
      messages AS (
        SELECT p.team_path, count(*) AS messages,
               avg(CASE WHEN (p.work_start < p.work_end
                              AND list_contains(p.days, isodow(timezone(p.zone, m.ts))::TINYINT)
                              AND timezone(p.zone, m.ts)::TIME >= p.work_start
                              AND timezone(p.zone, m.ts)::TIME < p.work_end)
                          OR (p.work_start > p.work_end
                              AND ((list_contains(p.days, isodow(timezone(p.zone, m.ts))::TINYINT)
                                    AND timezone(p.zone, m.ts)::TIME >= p.work_start)
                                OR (list_contains(p.days, isodow(timezone(p.zone, m.ts) - INTERVAL 1 DAY)::TINYINT)
                                    AND timezone(p.zone, m.ts)::TIME < p.work_end)))
                        THEN 0 ELSE 1 END) AS off_hours_share
        FROM raw.slack_messages AS m JOIN story_people AS p ON p.user_key = m.user_key
        WHERE ${COUNTED} GROUP BY ALL),
      meetings AS (
        SELECT p.team_path, count(*) AS meetings FROM story_meetings AS m
        JOIN story_people AS p ON p.person_id = m.owner_id GROUP BY ALL)
      SELECT w.team_path, s.people,
             100 * coalesce(b.seconds, 0) / w.seconds AS meeting_load_pct,
             coalesce(f.hours, 0) / s.people / ${weeks} AS focus_hours,
             coalesce(mt.meetings, 0) / s.people / ${weeks} AS meetings,
             coalesce(ms.messages, 0) / s.people / ${weeks} AS messages,
             ms.off_hours_share
      FROM work AS w JOIN size AS s USING (team_path)
      LEFT JOIN busy AS b USING (team_path) LEFT JOIN focus AS f USING (team_path)
      LEFT JOIN meetings AS mt USING (team_path) LEFT JOIN messages AS ms USING (team_path)`,
    // Response latencies: runs of one sender in DM/group DM top-level streams and in threads.
    responses: `
      WITH streamed AS (
        SELECT m.user_key, m.ts,
               CASE WHEN m.thread_ts IS NOT NULL THEN m.conversation_key || '/' || m.thread_ts::VARCHAR
                    WHEN c.conversation_type IN ('im', 'mpim') THEN m.conversation_key END AS stream
        FROM raw.slack_messages AS m
        JOIN raw.slack_conversations AS c USING (conversation_key)
        JOIN raw.slack_users AS u ON u.user_key = m.user_key AND NOT u.is_bot
        WHERE ${COUNTED}),
      runs AS (
        SELECT * FROM (SELECT *, lag(user_key) OVER (PARTITION BY stream ORDER BY ts) AS previous_sender
                       FROM streamed WHERE stream IS NOT NULL)
        WHERE previous_sender IS DISTINCT FROM user_key)
      SELECT p.team_path, r.latency
      FROM (SELECT user_key, ts - lag(ts) OVER (PARTITION BY stream ORDER BY ts) AS latency FROM runs) AS r
      JOIN story_people AS p USING (user_key)
      WHERE r.latency IS NOT NULL AND r.latency <= INTERVAL 7 DAY`,
  };
  const [{ change } = { change: firstMonday }] = await db.parse(
    z.object({ change: z.string() }),
    `SELECT max(as_of)::VARCHAR AS change FROM raw.roster_snapshots`,
  );
  for (const [name, sql] of Object.entries(views)) {
    const parameters: Record<string, string> = {};
    if (sql.includes('$first')) parameters['first'] = firstMonday;
    if (sql.includes('$change')) parameters['change'] = change;
    // Views cannot hold parameters: materialise each as a temporary table.
    await db.run(`CREATE OR REPLACE TEMP TABLE story_${name} AS ${sql}`, parameters);
  }
}
