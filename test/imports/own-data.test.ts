/**
 * The path of a team trying syncbalance on its own data: a roster, a Slack export and calendar
 * exports, imported with the real CLI, built, exported. Checks that the sources meet in the
 * models: Slack accounts and calendar owners match roster people by email, and the team-week
 * carries numbers from both.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../warehouse/db.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT, testPseudonymizer as keys } from '../helpers/warehouse.ts';

const PEOPLE = ['ada', 'bob', 'cy', 'dee', 'eli'];
const email = (name: string) => `${name}@example.com`;

function writeSlackExport(dir: string): string {
  const root = join(dir, 'slack');
  mkdirSync(join(root, 'general'), { recursive: true });
  writeFileSync(
    join(root, 'users.json'),
    JSON.stringify(
      PEOPLE.map((name, index) => ({
        id: `U0${index}`,
        name,
        deleted: false,
        is_bot: false,
        tz: 'Europe/Berlin',
        profile: { email: email(name), real_name: name },
      })),
    ),
  );
  writeFileSync(
    join(root, 'channels.json'),
    JSON.stringify([
      {
        id: 'C01',
        name: 'general',
        created: 1767225600,
        members: PEOPLE.map((_, index) => `U0${index}`),
      },
    ]),
  );
  // Tuesday 2026-03-03, 10:00 Berlin (09:00 UTC) onwards: everyone posts; Bob answers Ada's thread.
  const base = Date.UTC(2026, 2, 3, 9, 0, 0) / 1000;
  const messages: Record<string, unknown>[] = PEOPLE.map((_, index) => ({
    type: 'message',
    user: `U0${index}`,
    text: 'hello',
    ts: `${base + index * 60}.000100`,
  }));
  // As Slack exports a thread: the parent carries thread_ts (its own ts) and reply_count.
  messages[0] = { ...messages[0], thread_ts: `${base}.000100`, reply_count: 1 };
  messages.push({
    type: 'message',
    user: 'U01',
    text: 'reply',
    ts: `${base + 3600}.000200`,
    thread_ts: `${base}.000100`,
    parent_user_id: 'U00',
  });
  writeFileSync(join(root, 'general', '2026-03-03.json'), JSON.stringify(messages));
  // The export runs from Sunday 1 to Monday 9 March (its first and last day files), covering the
  // whole of Berlin's week of 2 March, which starts at 23:00 UTC on the Sunday.
  for (const [day, hour] of [
    ['2026-03-01', 12],
    ['2026-03-09', 12],
  ] as const) {
    writeFileSync(
      join(root, 'general', `${day}.json`),
      JSON.stringify([
        {
          type: 'message',
          subtype: 'channel_join',
          user: 'U04',
          text: 'joined',
          ts: `${Date.parse(`${day}T${hour}:00:00Z`) / 1000}.000000`,
        },
      ]),
    );
  }
  return root;
}

function writeCalendar(dir: string): string {
  const calendars = join(dir, 'calendars');
  mkdirSync(calendars, { recursive: true });
  writeFileSync(
    join(calendars, `${email('ada')}.ics`),
    [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//syncbalance tests//EN',
      'X-WR-TIMEZONE:Europe/Berlin',
      'BEGIN:VEVENT',
      'UID:planning-1@example.com',
      'DTSTAMP:20260301T000000Z',
      'DTSTART:20260303T130000Z',
      'DTEND:20260303T143000Z',
      'SUMMARY:Quarterly planning',
      `ORGANIZER:mailto:${email('bob')}`,
      `ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:${email('ada')}`,
      `ATTENDEE;CUTYPE=INDIVIDUAL;PARTSTAT=ACCEPTED:mailto:${email('bob')}`,
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n'),
  );
  return calendars;
}

describe('trying syncbalance on your own data', () => {
  it('imports a roster, a Slack export and calendars, builds, and exports the team-week', async () => {
    const dir = tempDir();
    const db = join(dir, 'w.duckdb');
    const env = { SYNCBALANCE_SALT: TEST_SALT };
    const roster = join(dir, 'roster.csv');
    writeFileSync(
      roster,
      ['email,team,timezone', ...PEOPLE.map((name) => `${email(name)},Eng,Europe/Berlin`)].join(
        '\n',
      ),
    );

    for (const args of [
      ['import', 'roster', roster, '--as-of', '2026-03-02'],
      ['import', 'slack-export', writeSlackExport(dir)],
      ['import', 'ics', writeCalendar(dir), '--from', '2026-03-02', '--to', '2026-03-08'],
      ['build'],
    ]) {
      const result = await runCli(['--db', db, ...args], { env });
      expect(result.stderr, args.join(' ')).toBe('');
      expect(result.code, args.join(' ')).toBe(0);
    }

    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const ada = await warehouse.all(
        `SELECT messages_sent, responses, has_calendar, meeting_hours, is_active FROM marts.person_weeks WHERE person_id = $1 AND week_start = '2026-03-02'`,
        [keys.person(email('ada'))],
      );
      expect(ada).toEqual([
        { messages_sent: 1, responses: 0, has_calendar: true, meeting_hours: 1.5, is_active: true },
      ]);
      const bob = await warehouse.all(
        `SELECT messages_sent, responses, has_calendar FROM marts.person_weeks WHERE person_id = $1 AND week_start = '2026-03-02'`,
        [keys.person(email('bob'))],
      );
      // Bob's calendar was not exported, so his calendar metrics are unknown, not zero.
      expect(bob).toEqual([{ messages_sent: 2, responses: 1, has_calendar: false }]);
    } finally {
      warehouse.close();
    }

    const csv = await runCli(['--db', db, 'export', 'csv', '--team', 'Eng'], { env });
    expect(csv.code).toBe(0);
    const [header, row] = csv.stdout.split('\r\n');
    const cell = (name: string) => row?.split(',')[header?.split(',').indexOf(name) ?? -1];
    expect(cell('members_active')).toBe('');
    expect([cell('members_active_min'), cell('members_active_max')]).toEqual(['5', '5']);
    expect(cell('suppressed')).toBe('false');
    expect(cell('messages_sent_median')).toBe('1.00');
    // One person with calendar data: too few contributors, so the cell stays empty.
    expect(cell('meeting_hours_median')).toBe('');
  });
});
