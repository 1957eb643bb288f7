/**
 * `importIcs` against a real DuckDB warehouse with a roster: what lands in the raw tables, how a
 * re-import replaces a window, and that a failed import changes nothing.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIcs, type IcsImportSummary } from '../../ingest/ics/import.ts';
import { importRoster } from '../../ingest/roster/import.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError } from '../../warehouse/errors.ts';
import { recordingReporter, silentReporter, type Reporter } from '../../warehouse/reporter.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { fingerprint, tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { ICS_FIXTURES } from './support.ts';

const person = (email: string): string => testPseudonymizer.person(email);
const eventKey = (uid: string): string => testPseudonymizer.calendarEvent(uid);

async function warehouseWithRoster(): Promise<Warehouse> {
  const db = await tempWarehouse();
  await importRoster({
    db,
    pseudonymizer: testPseudonymizer,
    file: join(REPO_ROOT, 'test', 'fixtures', 'roster', 'valid.csv'),
    asOf: '2026-01-01',
    reporter: silentReporter,
  });
  return db;
}

interface ImportOptions {
  readonly owner?: string;
  readonly from?: string;
  readonly to?: string;
  readonly reporter?: Reporter;
}

function importFiles(
  db: Warehouse,
  paths: string[],
  options: ImportOptions = {},
): Promise<IcsImportSummary> {
  return importIcs({
    db,
    pseudonymizer: testPseudonymizer,
    paths,
    owner: options.owner ?? null,
    from: options.from ?? '2026-03-02',
    to: options.to ?? '2026-04-30',
    reporter: options.reporter ?? silentReporter,
  });
}

/** A folder as Google exports it: one file per calendar, named after its owner. */
function googleExport(): string {
  const dir = tempDir();
  copyFileSync(join(ICS_FIXTURES, 'berlin-team.ics'), join(dir, 'ada@example.com.ics'));
  copyFileSync(join(ICS_FIXTURES, 'zones.ics'), join(dir, 'grace@example.com.ics'));
  return dir;
}

const eventRow = z.object({
  owner_id: z.string(),
  event_key: z.string(),
  recurrence_key: z.string(),
  start_at: z.string().nullable(),
  end_at: z.string().nullable(),
  start_date: z.string().nullable(),
  end_date: z.string().nullable(),
  status: z.string(),
  transparency: z.string(),
  event_type: z.string(),
  is_recurring: z.boolean(),
  organizer_id: z.string().nullable(),
});

/** Every stored event and attendee, without the run that wrote it. */
async function calendarContent(db: Warehouse): Promise<unknown[]> {
  return [
    ...(await db.all(`SELECT * EXCLUDE (run_id) FROM raw.calendar_events ORDER BY ALL`)),
    ...(await db.all(`SELECT * FROM raw.calendar_attendees ORDER BY ALL`)),
  ];
}

async function keysOf(db: Warehouse, owner: string, uid: string): Promise<string[]> {
  const rows = await db.parse(
    z.object({ key: z.string() }),
    `SELECT recurrence_key AS key FROM raw.calendar_events
     WHERE owner_id = $1 AND event_key = $2 ORDER BY 1`,
    [person(owner), eventKey(uid)],
  );
  return rows.map((row) => row.key);
}

describe('importing a Google Calendar export', () => {
  it('stores every instance in the window with UTC instants and pseudonymous keys', async () => {
    const db = await warehouseWithRoster();
    const reporter = recordingReporter();
    const summary = await importFiles(db, [googleExport()], { reporter });

    expect(summary).toEqual({
      calendars: 2,
      owners: 2,
      events: 90,
      recurringInstances: 83,
      byStatus: { confirmed: 88, tentative: 1, cancelled: 1 },
      attendees: 29,
      people: 5,
      peopleInRoster: 4,
      removed: 0,
      skipped: {
        otherComponents: 1,
        duplicates: 0,
        unexpandableSeries: 0,
        badEvents: 0,
        implausibleTimes: 0,
      },
      warnings: 0,
    });
    expect(reporter.results).toEqual([
      'Imported 2 calendars of 2 people (2026-03-02 to 2026-04-30): 90 events (88 confirmed, 1 tentative, 1 cancelled; 83 from recurring series), 29 attendee entries (5 people, 4 of them in the roster), 0 removed as deleted at the source; skipped 1 component that is not an event',
    ]);
    expect(reporter.warnings).toEqual([]);

    const planning = await db.parse(
      eventRow,
      `SELECT * REPLACE (start_at::VARCHAR AS start_at, end_at::VARCHAR AS end_at)
       FROM raw.calendar_events WHERE owner_id = $1 AND event_key = $2 ORDER BY recurrence_key`,
      [person('ada@example.com'), eventKey('weekly-planning@example.com')],
    );
    expect(planning.map((row) => [row.recurrence_key, row.start_at, row.status])).toEqual([
      ['2026-03-09T09:00:00Z', '2026-03-09 09:00:00+00', 'confirmed'],
      ['2026-03-16T09:00:00Z', '2026-03-16 09:00:00+00', 'confirmed'],
      ['2026-03-23T09:00:00Z', '2026-03-24 13:00:00+00', 'confirmed'],
      ['2026-03-30T08:00:00Z', '2026-03-30 08:00:00+00', 'confirmed'],
      ['2026-04-06T08:00:00Z', '2026-04-06 08:00:00+00', 'cancelled'],
      ['2026-04-13T08:00:00Z', '2026-04-13 08:00:00+00', 'confirmed'],
      ['2026-04-27T08:00:00Z', '2026-04-27 08:00:00+00', 'confirmed'],
    ]);
    expect(planning[0]?.organizer_id).toBe(person('grace@example.com'));

    const ooo = await db.parse(eventRow, `SELECT * FROM raw.calendar_events WHERE event_key = $1`, [
      eventKey('ooo-ski-week@example.com'),
    ]);
    expect(ooo).toEqual([
      expect.objectContaining({
        start_at: null,
        start_date: '2026-03-16',
        end_date: '2026-03-21',
        event_type: 'outOfOffice',
        recurrence_key: '',
        is_recurring: false,
      }),
    ]);
  });

  it('matches attendees to roster people by email and keeps everyone else as a pseudonym only', async () => {
    const db = await warehouseWithRoster();
    await importFiles(db, [googleExport()]);
    const attendees = await db.all(
      `SELECT a.attendee_kind AS kind, a.response_status AS response, r.email
       FROM raw.calendar_attendees AS a
       LEFT JOIN raw.roster_people AS r ON r.person_id = a.attendee_id
       WHERE a.owner_id = $1 AND a.event_key = $2 AND a.recurrence_key = '2026-03-30T08:00:00Z'
       ORDER BY a.attendee_kind, r.email NULLS LAST`,
      [person('ada@example.com'), eventKey('weekly-planning@example.com')],
    );
    expect(attendees).toEqual([
      { kind: 'person', response: 'accepted', email: 'ada@example.com' },
      { kind: 'person', response: 'accepted', email: 'grace@example.com' },
      { kind: 'person', response: 'needsAction', email: null },
      { kind: 'room', response: 'accepted', email: null },
    ]);
    const stored = JSON.stringify(await calendarContent(db));
    expect(stored).not.toMatch(/@/);
  });

  it("covers each calendar's window at midnight in its zone and records the calendar zone", async () => {
    const db = await warehouseWithRoster();
    await importFiles(db, [googleExport()]);
    const coverage = await db.all(
      `SELECT c.owner_id = $1 AS is_ada, c.window_start::VARCHAR AS window_start,
              c.window_end::VARCHAR AS window_end, s.timezone
       FROM raw.calendar_coverage AS c LEFT JOIN raw.calendar_settings AS s USING (owner_id)
       ORDER BY is_ada DESC`,
      [person('ada@example.com')],
    );
    expect(coverage).toEqual([
      // X-WR-TIMEZONE:Europe/Berlin.
      {
        is_ada: true,
        window_start: '2026-03-01 23:00:00+00',
        window_end: '2026-04-30 22:00:00+00',
        timezone: 'Europe/Berlin',
      },
      // No X-WR-TIMEZONE: Grace's roster zone, America/New_York, which also places floating times.
      {
        is_ada: false,
        window_start: '2026-03-02 05:00:00+00',
        window_end: '2026-05-01 04:00:00+00',
        timezone: null,
      },
    ]);
    const workshop = await db.one(
      `SELECT start_at::VARCHAR AS start_at FROM raw.calendar_events WHERE event_key = $1`,
      [eventKey('floating-workshop@example.com')],
    );
    expect(workshop?.['start_at']).toBe('2026-03-10 13:00:00+00');
  });

  it('logs the run with counts only', async () => {
    const db = await warehouseWithRoster();
    await importFiles(db, [googleExport()]);
    const [run] = await db.parse(
      z.object({ source: z.string(), summary: z.string() }),
      `SELECT source, summary::VARCHAR AS summary FROM meta.import_runs WHERE source = 'ics'`,
    );
    const logged = z.record(z.string(), z.unknown()).parse(JSON.parse(run?.summary ?? '{}'));
    expect(logged).toMatchObject({ calendars: 2, events: 90, cancelled: 1, from: '2026-03-02' });
    expect(run?.summary).not.toContain('@');
  });
});

describe('re-importing', () => {
  it('changes nothing when the source has not changed', async () => {
    const db = await warehouseWithRoster();
    const folder = googleExport();
    await importFiles(db, [folder]);
    const before = await calendarContent(db);
    const again = await importFiles(db, [folder]);
    expect(await calendarContent(db)).toEqual(before);
    expect(again.removed).toBe(0);
    expect(again.events).toBe(90);
  });

  it('removes an event deleted at the source, when its window is imported again', async () => {
    const db = await warehouseWithRoster();
    const folder = googleExport();
    await importFiles(db, [folder]);
    const file = join(folder, 'ada@example.com.ics');
    const withoutVendorCall = readFileSync(file, 'utf8').replace(
      /BEGIN:VEVENT\nDTSTART:20260310T160000Z[\s\S]*?END:VEVENT\n/,
      '',
    );
    writeFileSync(file, withoutVendorCall);
    const summary = await importFiles(db, [file]);
    expect(summary.removed).toBe(1);
    expect(await keysOf(db, 'ada@example.com', 'vendor-call@example.com')).toEqual([]);
    expect(await keysOf(db, 'ada@example.com', 'focus-block@example.com')).toEqual(['']);
  });

  it('leaves events outside the new window as they were', async () => {
    const db = await warehouseWithRoster();
    const folder = googleExport();
    await importFiles(db, [folder]);
    const march = await keysOf(db, 'ada@example.com', 'weekly-planning@example.com');
    // The calendar is emptied at the source, but only April is imported again.
    const emptied = join(tempDir(), 'ada@example.com.ics');
    writeFileSync(emptied, 'BEGIN:VCALENDAR\nX-WR-TIMEZONE:Europe/Berlin\nEND:VCALENDAR\n');
    const summary = await importFiles(db, [emptied], { from: '2026-04-01', to: '2026-04-30' });
    expect(await keysOf(db, 'ada@example.com', 'weekly-planning@example.com')).toEqual(
      march.filter((key) => key < '2026-04'),
    );
    expect(summary.removed).toBeGreaterThan(0);
    // Grace's calendar was not part of this import at all.
    expect(await keysOf(db, 'grace@example.com', 'new-york-sync@example.com')).toHaveLength(3);
  });
});

describe('a failed import', () => {
  it('writes nothing from any file when one of them is bad', async () => {
    const db = await warehouseWithRoster();
    await importFiles(db, [join(ICS_FIXTURES, 'zones.ics')], { owner: 'ken@example.com' });
    const before = await fingerprint(db);
    const bad = join(ICS_FIXTURES, 'bad', 'ends-before-start.ics');
    const failure = importFiles(db, [join(ICS_FIXTURES, 'berlin-team.ics'), bad], {
      owner: 'ada@example.com',
    });
    await expect(failure).rejects.toThrow(InputError);
    await expect(failure).rejects.toMatchObject({
      details: [`${bad}:6 DTEND: the event ends before it starts`],
    });
    expect(await fingerprint(db)).toEqual(before);
  });

  it('refuses a window that ends before it starts', async () => {
    const db = await warehouseWithRoster();
    await expect(
      importFiles(db, [googleExport()], { from: '2026-05-01', to: '2026-04-30' }),
    ).rejects.toThrow('--from 2026-05-01 is after --to 2026-04-30: nothing to import');
  });
});

describe('calendar owners', () => {
  it('takes the owner from the file name, or from --owner for every file', async () => {
    const db = await warehouseWithRoster();
    await importFiles(db, [join(googleExport(), 'grace@example.com.ics')]);
    await importFiles(db, [join(ICS_FIXTURES, 'zones.ics')], { owner: 'Linus@Example.com' });
    const owners = await db.all(
      `SELECT DISTINCT r.email FROM raw.calendar_events AS e
       JOIN raw.roster_people AS r ON r.person_id = e.owner_id ORDER BY 1`,
    );
    expect(owners).toEqual([{ email: 'grace@example.com' }, { email: 'linus@example.com' }]);
  });

  it('refuses a file whose owner it cannot tell, changing nothing', async () => {
    const db = await warehouseWithRoster();
    const before = await fingerprint(db);
    await expect(importFiles(db, [join(ICS_FIXTURES, 'zones.ics')])).rejects.toThrow(
      'the owner of 1 calendar is unknown; nothing was imported',
    );
    expect(await fingerprint(db)).toEqual(before);
  });

  it('warns about an owner outside the roster and floating times it can only read as UTC', async () => {
    const db = await warehouseWithRoster();
    const reporter = recordingReporter();
    const file = join(ICS_FIXTURES, 'zones.ics');
    const summary = await importFiles(db, [file], { owner: 'visitor@outside.example', reporter });
    expect(reporter.warnings).toEqual([
      `${file}: the owner of this calendar is not in the roster: it is imported, but counts for no team until they are added`,
      `${file}:13 DTSTART: times without a zone are read as UTC: the file has no X-WR-TIMEZONE and the roster gives its owner no time zone`,
    ]);
    expect(summary.warnings).toBe(2);
    const workshop = await db.one(
      `SELECT start_at::VARCHAR AS start_at FROM raw.calendar_events WHERE event_key = $1`,
      [eventKey('floating-workshop@example.com')],
    );
    expect(workshop?.['start_at']).toBe('2026-03-10 09:00:00+00');
  });
});
