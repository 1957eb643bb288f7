/**
 * Gaps the browser tests need and the demo organisation does not have: two people of one team
 * whose calendars were never imported, and one team-week that looks like a holiday (nine in ten
 * of its meetings and messages gone). Written into the raw tables of a generated demo before it is
 * built, the way a partial import would leave them, so the marks come out of the real models.
 *
 * Deterministic: people are chosen by their pseudonymous id (fixed by the test's salt), events and
 * messages by a hash of their keys (an event's instance is its event and recurrence key).
 */
import { z } from 'zod';
import { sqlString, Warehouse } from '../../warehouse/db.ts';

/** A team of 13 with no sub-teams: two without calendars still leaves it shown. */
export const TEAM_WITHOUT_CALENDARS = 'Product/Design';
export const PEOPLE_WITHOUT_CALENDARS = 2;
/** A team of 11 with no sub-teams, and a week inside the 4 weeks before the demo's last one. */
export const HOLIDAY_TEAM = 'Business/Operations';
export const HOLIDAY_WEEK = '2026-10-19';

export async function applyDemoGaps(path: string): Promise<void> {
  const db = await Warehouse.open(path);
  try {
    const withoutCalendars = await db.parse(
      z.object({ person_id: z.string() }),
      // People on the team in every roster snapshot, so the gap shows in every week.
      `SELECT person_id FROM raw.roster_people
       GROUP BY person_id
       HAVING bool_and(team_path = $team) AND count(*) = (SELECT count(*) FROM raw.roster_snapshots)
       ORDER BY person_id
       LIMIT ${PEOPLE_WITHOUT_CALENDARS}`,
      { team: TEAM_WITHOUT_CALENDARS },
    );
    if (withoutCalendars.length !== PEOPLE_WITHOUT_CALENDARS)
      throw new Error(`expected ${PEOPLE_WITHOUT_CALENDARS} people on ${TEAM_WITHOUT_CALENDARS}`);
    const owners = withoutCalendars.map((row) => sqlString(row.person_id)).join(', ');
    await db.transaction(async () => {
      for (const table of [
        'calendar_attendees',
        'calendar_events',
        'calendar_coverage',
        'calendar_settings',
      ])
        await db.run(`DELETE FROM raw.${table} WHERE owner_id IN (${owners})`);

      const week = { from: `${HOLIDAY_WEEK} 00:00:00+00`, team: HOLIDAY_TEAM };
      const members = `SELECT DISTINCT person_id FROM raw.roster_people WHERE team_path = $team`;
      const quietEvents = `
        SELECT owner_id, event_key, recurrence_key FROM raw.calendar_events
        WHERE owner_id IN (${members})
          AND start_at >= $from::TIMESTAMPTZ AND start_at < $from::TIMESTAMPTZ + INTERVAL 7 DAY
          AND hash(event_key || recurrence_key) % 10 <> 0`;
      await db.run(
        `DELETE FROM raw.calendar_attendees WHERE (owner_id, event_key, recurrence_key) IN (${quietEvents})`,
        week,
      );
      await db.run(
        `DELETE FROM raw.calendar_events WHERE (owner_id, event_key, recurrence_key) IN (${quietEvents})`,
        week,
      );
      await db.run(
        `DELETE FROM raw.slack_messages
         WHERE user_key IN (SELECT user_key FROM raw.slack_users WHERE email_person_id IN (${members}))
           AND ts >= $from::TIMESTAMPTZ AND ts < $from::TIMESTAMPTZ + INTERVAL 7 DAY
           AND hash(conversation_key || ts::VARCHAR) % 10 <> 0`,
        week,
      );
    });
  } finally {
    db.close();
  }
}
