/**
 * Synced calendars feed the metrics unchanged: the real event types count as docs/metrics.md
 * defines them (focus time is no meeting, an out-of-office day removes working hours), and a
 * calendar synced from Google gives exactly the person-week metrics of the same events imported
 * as an `.ics` file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIcs } from '../../ingest/ics/import.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import type { ApiEvent } from './emulator.ts';
import { setUp, startEmulator, writeRoster } from './support.ts';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const ROSTER = [
  { email: ALICE, timezone: 'Europe/Berlin' },
  { email: BOB, timezone: 'Europe/Berlin' },
];

/** `2026-03-02T09:00:00+01:00`: Berlin wall-clock time with its offset (DST from 2026-03-29). */
function berlin(date: string, time: string): string {
  return `${date}T${time}:00${date >= '2026-03-29' ? '+02:00' : '+01:00'}`;
}

const standupDates = [
  '2026-03-02',
  '2026-03-09',
  '2026-03-16',
  '2026-03-23',
  '2026-03-30',
  '2026-04-06',
];
const invited = {
  organizer: { email: BOB },
  attendees: [
    { email: ALICE, responseStatus: 'accepted', self: true },
    { email: BOB, responseStatus: 'accepted', organizer: true },
  ],
};

/** The same calendar twice: as the Calendar API returns it, and as an iCalendar export. */
const googleEvents: ApiEvent[] = [
  ...standupDates.map((date) => ({
    id: `standup_${date.replaceAll('-', '')}T${date >= '2026-03-29' ? '07' : '08'}0000Z`,
    status: 'confirmed' as const,
    eventType: 'default',
    start: { dateTime: berlin(date, '09:00'), timeZone: 'Europe/Berlin' },
    end: { dateTime: berlin(date, '09:30'), timeZone: 'Europe/Berlin' },
    recurringEventId: 'standup',
    originalStartTime: { dateTime: berlin(date, '09:00'), timeZone: 'Europe/Berlin' },
    ...invited,
  })),
  {
    id: 'review',
    status: 'confirmed',
    eventType: 'default',
    start: { dateTime: berlin('2026-03-18', '14:00') },
    end: { dateTime: berlin('2026-03-18', '15:30') },
    organizer: { email: BOB },
    attendees: [
      { email: ALICE, responseStatus: 'accepted', self: true },
      { email: BOB, responseStatus: 'accepted', organizer: true },
      { email: 'room-4@resource.calendar.google.com', responseStatus: 'accepted', resource: true },
    ],
  },
  {
    id: 'declined',
    status: 'confirmed',
    eventType: 'default',
    start: { dateTime: berlin('2026-03-17', '10:00') },
    end: { dateTime: berlin('2026-03-17', '11:00') },
    organizer: { email: BOB },
    attendees: [
      { email: ALICE, responseStatus: 'declined', self: true },
      { email: BOB, responseStatus: 'accepted', organizer: true },
    ],
  },
  {
    id: 'focus',
    status: 'confirmed',
    eventType: 'focusTime',
    start: { dateTime: berlin('2026-03-19', '13:00') },
    end: { dateTime: berlin('2026-03-19', '15:00') },
    organizer: { email: ALICE, self: true },
  },
  {
    id: 'away',
    status: 'confirmed',
    eventType: 'outOfOffice',
    start: { dateTime: berlin('2026-03-11', '00:00') },
    end: { dateTime: berlin('2026-03-12', '00:00') },
    organizer: { email: ALICE, self: true },
  },
  {
    id: 'holiday',
    status: 'confirmed',
    eventType: 'default',
    transparency: 'transparent',
    start: { date: '2026-03-20' },
    end: { date: '2026-03-21' },
    organizer: { email: ALICE, self: true },
  },
];

const ics = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'X-WR-TIMEZONE:Europe/Berlin',
  'BEGIN:VEVENT',
  'UID:standup@google.com',
  'DTSTART;TZID=Europe/Berlin:20260302T090000',
  'DTEND;TZID=Europe/Berlin:20260302T093000',
  'RRULE:FREQ=WEEKLY;COUNT=6',
  'ORGANIZER:mailto:bob@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:review@google.com',
  'DTSTART;TZID=Europe/Berlin:20260318T140000',
  'DTEND;TZID=Europe/Berlin:20260318T153000',
  'ORGANIZER:mailto:bob@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com',
  'ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:room-4@resource.calendar.google.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:declined@google.com',
  'DTSTART;TZID=Europe/Berlin:20260317T100000',
  'DTEND;TZID=Europe/Berlin:20260317T110000',
  'ORGANIZER:mailto:bob@example.com',
  'ATTENDEE;PARTSTAT=DECLINED:mailto:alice@example.com',
  'ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:focus@google.com',
  'X-GOOGLE-EVENT-TYPE:focusTime',
  'DTSTART;TZID=Europe/Berlin:20260319T130000',
  'DTEND;TZID=Europe/Berlin:20260319T150000',
  'ORGANIZER:mailto:alice@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:away@google.com',
  'X-GOOGLE-EVENT-TYPE:outOfOffice',
  'DTSTART;TZID=Europe/Berlin:20260311T000000',
  'DTEND;TZID=Europe/Berlin:20260312T000000',
  'ORGANIZER:mailto:alice@example.com',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:holiday@google.com',
  'DTSTART;VALUE=DATE:20260320',
  'DTEND;VALUE=DATE:20260321',
  'TRANSP:TRANSPARENT',
  'ORGANIZER:mailto:alice@example.com',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');

const weekRow = z.object({
  week_start: z.string(),
  has_calendar: z.boolean(),
  working_hours: z.number(),
  out_of_office_days: z.number(),
  meetings_count: z.number(),
  meeting_hours: z.number(),
  focus_hours: z.number(),
});

async function personWeeks(db: Warehouse, email: string): Promise<unknown[]> {
  return db.all(
    `SELECT * EXCLUDE (person_id) FROM marts.person_weeks WHERE person_id = $1 ORDER BY week_start`,
    [testPseudonymizer.person(email)],
  );
}

async function syncedWarehouse(): Promise<Warehouse> {
  const emulator = await startEmulator({ maxPageSize: 4 });
  emulator.addUser(ALICE, { timeZone: 'Europe/Berlin' });
  for (const event of googleEvents) emulator.putEvent(ALICE, event);
  const setup = await setUp(emulator, ROSTER);
  const summary = await setup.sync({ person: ALICE });
  expect(summary.failed).toEqual([]);
  expect(summary.events.added).toBe(11);
  await buildModels(setup.db, defaultConfig());
  return setup.db;
}

describe('metrics of synced calendars', () => {
  it('counts focus time as no meeting and an out-of-office day as no working time', async () => {
    const db = await syncedWarehouse();
    const types = await db.parse(
      z.object({ event_type: z.string(), n: z.number() }),
      `SELECT event_type, count(*)::INTEGER AS n FROM raw.calendar_events GROUP BY ALL ORDER BY ALL`,
    );
    expect(types).toEqual([
      { event_type: 'default', n: 9 },
      { event_type: 'focusTime', n: 1 },
      { event_type: 'outOfOffice', n: 1 },
    ]);
    const weeks = (await personWeeks(db, ALICE)).map((row) => weekRow.parse(row));
    const week = (start: string): z.infer<typeof weekRow> | undefined =>
      weeks.find((row) => row.week_start === start);
    // The week of 2026-03-09: Wednesday out of office, so four 8-hour days; one standup.
    expect(week('2026-03-09')).toMatchObject({
      has_calendar: true,
      working_hours: 32,
      out_of_office_days: 1,
      meetings_count: 1,
    });
    // The week of 2026-03-16: the standup and the review; not the declined meeting, not focus time.
    expect(week('2026-03-16')).toMatchObject({
      working_hours: 40,
      out_of_office_days: 0,
      meetings_count: 2,
      meeting_hours: 2,
    });
  });

  it('equal those of the same events imported as an .ics file', async () => {
    const synced = await syncedWarehouse();

    const imported = await tempWarehouse();
    const dir = tempDir();
    await importRoster({
      db: imported,
      pseudonymizer: testPseudonymizer,
      file: writeRoster(dir, ROSTER),
      asOf: '2025-01-01',
      reporter: silentReporter,
    });
    const file = join(dir, 'alice.ics');
    writeFileSync(file, ics);
    // The window the sync used: the weeks of 2025-09-22 to 2026-04-20.
    await importIcs({
      db: imported,
      pseudonymizer: testPseudonymizer,
      paths: [file],
      owner: ALICE,
      from: '2025-09-22',
      to: '2026-04-26',
      reporter: silentReporter,
    });
    await buildModels(imported, defaultConfig());

    const expected = await personWeeks(imported, ALICE);
    expect(expected.length).toBeGreaterThanOrEqual(6);
    expect(await personWeeks(synced, ALICE)).toEqual(expected);
    const meetings = (await personWeeks(synced, ALICE))
      .map((row) => weekRow.parse(row))
      .reduce((sum, row) => sum + row.meetings_count, 0);
    expect(meetings).toBe(7);
  });
});
