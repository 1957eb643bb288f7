/**
 * Calendars as real producers write them (issue 13), each shape in a small fixture written for the
 * test under test/fixtures/ics/wild/: what is read right, what is skipped with a warning, and what
 * is still refused.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importIcs, summaryLine } from '../../ingest/ics/import.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { InputError, type Problem } from '../../warehouse/errors.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { recordingReporter, silentReporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, TEST_SALT, testPseudonymizer } from '../helpers/warehouse.ts';
import { ICS_FIXTURES, calendar, expandText, span, vevent } from './support.ts';

const WILD = join(ICS_FIXTURES, 'wild');
const wild = (name: string): string => readFileSync(join(WILD, name), 'utf8');

/** The problems of a refused calendar, as `line FIELD: message`. */
function refusal(text: string): string[] {
  try {
    expandText(text);
  } catch (error) {
    if (error instanceof InputError)
      return error.problems.map(
        ({ location, message }) => `${location.line} ${location.field ?? ''}: ${message}`,
      );
    throw error;
  }
  return [];
}

describe('eM Client: VTIMEZONE onsets in year 0001', () => {
  it('reads the zone from its year-0001 onsets instead of refusing the file', () => {
    const expanded = expandText(wild('em-client-year-0001.ics'));
    expect(span(expanded.of('year-0001-winter@example.com')[0])).toBe(
      '2026-03-05T13:00:00Z/2026-03-05T14:00:00Z',
    );
    expect(span(expanded.of('year-0001-summer@example.com')[0])).toBe(
      '2026-04-15T12:00:00Z/2026-04-15T13:00:00Z',
    );
  });
});

describe('bounds: durations and recurrence intervals ical.js would walk forever', () => {
  it('refuses DURATION:P999999999999999999W and a 10^15-day INTERVAL at their lines, within seconds', () => {
    // In a child process with a deadline: before the bound, ical.js never returned.
    const result = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'scripts', 'syncbalance.js'),
        ...['--db', join(tempDir(), 'w.duckdb'), 'import', 'ics'],
        ...['--owner', 'ada@example.com', '--from', '2026-03-01', '--to', '2026-03-31'],
        join(WILD, 'huge-duration.ics'),
      ],
      {
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, CI: 'true', SYNCBALANCE_DB: undefined, SYNCBALANCE_SALT: TEST_SALT },
      },
    );
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      'huge-duration.ics:7 DURATION: the event would last more than 1,830 days (five years)',
    );
    expect(result.stderr).toContain(
      'huge-duration.ics:13 RRULE: not a valid recurrence rule: INTERVAL=999999999999999 puts more than a century between instances',
    );
  }, 40_000);

  it('bounds an event by its DTEND as by its DURATION, and keeps a long leave', () => {
    const start = 'DTSTART;VALUE=DATE:20260302';
    expect(refusal(calendar(...vevent('UID:a', start, 'DTEND;VALUE=DATE:99990101')))).toEqual([
      '6 DTEND: the event would last more than 1,830 days (five years)',
    ]);
    expect(
      refusal(calendar(...vevent('UID:a', 'DTSTART:20260302T090000Z', 'DTEND:20320302T090000Z'))),
    ).toEqual(['6 DTEND: the event would last more than 1,830 days (five years)']);
    const leave = expandText(calendar(...vevent('UID:leave', start, 'DURATION:P52W')));
    expect(span(leave.of('leave')[0])).toBe('2026-03-02/2027-03-01');
  });

  it('refuses an INTERVAL of more than a century in the rule’s own unit', () => {
    const rule = (interval: string): string[] =>
      refusal(
        calendar(
          ...vevent('UID:a', 'DTSTART:20260302T090000Z', `RRULE:FREQ=WEEKLY;INTERVAL=${interval}`),
        ),
      );
    expect(rule('5200')).toEqual([]);
    expect(rule('5300')).toEqual([
      '6 RRULE: not a valid recurrence rule: INTERVAL=5300 puts more than a century between instances',
    ]);
  });
});

describe('Exchange: instances of an all-day series named by local midnight in a zone', () => {
  it('replaces the moved instance and removes the excluded one, keyed by their dates', () => {
    const series = expandText(wild('exchange-all-day-moved.ics')).of(
      'exchange-all-day@example.com',
    );
    expect(series.map((event) => `${event.recurrenceKey} ${span(event)}`)).toEqual([
      '2026-03-02 2026-03-02/2026-03-03',
      '2026-03-09 2026-03-09/2026-03-10',
      '2026-03-16 2026-03-17/2026-03-18',
      '2026-03-23 2026-03-23/2026-03-24',
      '2026-04-06 2026-04-06/2026-04-07',
      '2026-04-13 2026-04-13/2026-04-14',
      '2026-04-20 2026-04-20/2026-04-21',
    ]);
  });

  it('reads a UTC RECURRENCE-ID of an all-day instance on the calendar’s own date', () => {
    const text = calendar(
      ...vevent('UID:d', 'DTSTART;VALUE=DATE:20260302', 'RRULE:FREQ=DAILY;COUNT=3'),
      // Local midnight of 3 March in Berlin, written in UTC.
      ...vevent('UID:d', 'RECURRENCE-ID:20260302T230000Z', 'DTSTART;VALUE=DATE:20260310'),
    );
    const series = expandText(text, { zone: 'Europe/Berlin' }).of('d');
    expect(series.map((event) => `${event.recurrenceKey} ${span(event)}`)).toEqual([
      '2026-03-02 2026-03-02/2026-03-03',
      '2026-03-03 2026-03-10/2026-03-11',
      '2026-03-04 2026-03-04/2026-03-05',
    ]);
  });

  it('keys an override by its date when its original day is outside the window', () => {
    const text = calendar(
      ...vevent('UID:d', 'DTSTART;VALUE=DATE:20260202', 'RRULE:FREQ=WEEKLY;COUNT=2'),
      ...vevent(
        'UID:d',
        'RECURRENCE-ID;TZID=Europe/Berlin:20260209T000000',
        'DTSTART;VALUE=DATE:20260303',
      ),
    );
    expect(
      expandText(text)
        .of('d')
        .map((event) => `${event.recurrenceKey} ${span(event)}`),
    ).toEqual(['2026-02-09 2026-03-03/2026-03-04']);
  });

  it('matches a RECURRENCE-ID written as a date to the timed instance on that day', () => {
    const text = calendar(
      ...vevent('UID:t', 'DTSTART:20260302T090000Z', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3'),
      ...vevent('UID:t', 'RECURRENCE-ID;VALUE=DATE:20260303', 'DTSTART:20260303T150000Z'),
    );
    expect(
      expandText(text)
        .of('t')
        .map((event) => `${event.recurrenceKey} ${span(event)}`),
    ).toEqual([
      '2026-03-02T09:00:00Z 2026-03-02T09:00:00Z/2026-03-02T10:00:00Z',
      '2026-03-03T09:00:00Z 2026-03-03T15:00:00Z/2026-03-03T15:00:00Z',
      '2026-03-04T09:00:00Z 2026-03-04T09:00:00Z/2026-03-04T10:00:00Z',
    ]);
  });
});

describe('iCalcreator: VTIMEZONE observances given by DTSTART and RDATE', () => {
  it('reads 14:00 Europe/Berlin as 13:00Z in winter and 12:00Z in summer, from the tz database', () => {
    const expanded = expandText(wild('rdate-zone-iana.ics'));
    expect(span(expanded.of('rdate-zone-winter@example.com')[0])).toBe(
      '2026-03-05T13:00:00Z/2026-03-05T14:00:00Z',
    );
    expect(span(expanded.of('rdate-zone-summer@example.com')[0])).toBe(
      '2026-04-15T12:00:00Z/2026-04-15T13:00:00Z',
    );
    expect(expanded.zoneWarnings).toEqual([]);
  });

  it('reads a zone of its own name from its onsets, DTSTART included', () => {
    const expanded = expandText(wild('rdate-zone-custom.ics'));
    expect(span(expanded.of('rdate-zone-winter@example.com')[0])).toBe(
      '2026-03-05T13:00:00Z/2026-03-05T14:00:00Z',
    );
    expect(span(expanded.of('rdate-zone-summer@example.com')[0])).toBe(
      '2026-04-15T12:00:00Z/2026-04-15T13:00:00Z',
    );
    expect(expanded.zoneWarnings).toEqual([]);
  });

  it('prefers the tz database to a wrong definition under an IANA name', () => {
    const text = calendar(
      'BEGIN:VTIMEZONE',
      'TZID:America/New_York',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
      ...vevent('UID:ny', 'DTSTART;TZID=America/New_York:20260305T090000'),
    );
    expect(span(expandText(text).of('ny')[0])).toBe('2026-03-05T14:00:00Z/2026-03-05T14:00:00Z');
  });

  it('refuses offsets no real zone has, which ical.js would wrap around', () => {
    const zone = (offset: string): string[] =>
      refusal(
        calendar(
          'BEGIN:VTIMEZONE',
          'TZID:Somewhere Else',
          'BEGIN:STANDARD',
          'DTSTART:19700101T000000',
          `TZOFFSETFROM:${offset}`,
          `TZOFFSETTO:${offset}`,
          'END:STANDARD',
          'END:VTIMEZONE',
          ...vevent('UID:far', 'DTSTART;TZID=Somewhere Else:20260305T090000'),
        ),
      );
    expect(zone('+1400')).toEqual([]);
    expect(zone('-1200')).toEqual([]);
    expect(zone('+2300')).toEqual([
      "13 DTSTART: the VTIMEZONE of 'Somewhere Else' on line 7 cannot be used (not a real UTC offset: zones lie between -12:00 and +14:00)",
    ]);
  });

  it('warns when a definition of its own does not give the offsets its onsets declare', () => {
    // Two onsets at the same instant with different offsets: one of them cannot hold.
    const text = calendar(
      'BEGIN:VTIMEZONE',
      'TZID:Two Minds',
      'BEGIN:STANDARD',
      'DTSTART:20260101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:20260101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
      ...vevent('UID:odd', 'DTSTART;TZID=Two Minds:20260305T090000'),
    );
    const warnings = expandText(text, { file: 'odd.ics' }).zoneWarnings;
    expect(warnings.map((warning) => warning.location)).toEqual([{ file: 'odd.ics', line: 3 }]);
    expect(warnings[0]?.message).toMatch(
      /^the VTIMEZONE 'Two Minds' gives \+0[12]:00 after its onset of 2026-01-01 where it declares \+0[12]:00: its times may be wrong$/,
    );
  });
});

describe('one bad event does not refuse a calendar', () => {
  const expanded = expandText(wild('one-bad-event-each.ics'), { file: 'wild.ics' });
  const at = (problem: Problem): string =>
    `${problem.location.line ?? '?'}${problem.location.field ? ` ${problem.location.field}` : ''}: ${problem.message}`;

  it('imports every readable event and skips each bad one with its line and reason', () => {
    expect(expanded.outcome.badEvents).toBe(3);
    expect(expanded.outcome.warnings.map(at)).toEqual([
      '48 DURATION: event skipped: not a valid duration (expected e.g. PT1H30M or P1D)',
      '54: event skipped: VEVENT without DTSTART',
      "52 DTSTART: event skipped: unknown time zone 'Mars/Olympus_Mons': the file has no VTIMEZONE for it and it is not an IANA or Windows zone name such as Europe/Berlin",
      '16: 1 event has no UID: keyed by start, organiser and sequence, so a changed start or organiser makes a new event',
    ]);
    expect(expanded.events).toHaveLength(1 + 1 + 1 + 1 + 1 + 4);
    expect(span(expanded.of('good@example.com')[0])).toBe(
      '2026-03-03T10:00:00Z/2026-03-03T11:00:00Z',
    );
  });

  it('reads Windows display names and offset names as the zones they name', () => {
    expect(span(expanded.of('display-name@example.com')[0])).toBe(
      '2026-03-05T14:00:00Z/2026-03-05T15:00:00Z',
    );
    expect(span(expanded.of('offset-name@example.com')[0])).toBe(
      '2026-03-05T13:00:00Z/2026-03-05T13:30:00Z',
    );
  });

  it('reads an empty RRULE as a single event and BYDAY=MO, TU as BYDAY=MO,TU', () => {
    expect(expanded.of('empty-rule@example.com').map(span)).toEqual([
      '2026-03-06T10:00:00Z/2026-03-06T11:00:00Z',
    ]);
    expect(expanded.of('empty-rule@example.com')[0]?.isRecurring).toBe(false);
    expect(expanded.of('spaced-days@example.com').map((event) => event.recurrenceKey)).toEqual([
      '2026-03-09T08:00:00Z',
      '2026-03-10T08:00:00Z',
      '2026-03-16T08:00:00Z',
      '2026-03-17T08:00:00Z',
    ]);
  });

  it('keys an event without UID by its start, organiser and sequence, the same every time', () => {
    const keyed = expanded.events.filter((event) => span(event).startsWith('2026-03-04T09:00:00Z'));
    expect(keyed).toHaveLength(1);
    const again = expandText(wild('one-bad-event-each.ics')).events.find((event) =>
      span(event).startsWith('2026-03-04T09:00:00Z'),
    );
    expect(again?.eventKey).toBe(keyed[0]?.eventKey);
    // A different sequence is a different event.
    const changed = expandText(
      wild('one-bad-event-each.ics').replace('SEQUENCE:2', 'SEQUENCE:3'),
    ).events.find((event) => span(event).startsWith('2026-03-04T09:00:00Z'));
    expect(changed?.eventKey).not.toBe(keyed[0]?.eventKey);
  });

  it('still refuses a file whose every event is bad, listing every problem', () => {
    expect(refusal(wild('every-event-bad.ics'))).toEqual([
      '7 DURATION: not a valid duration (expected e.g. PT1H30M or P1D)',
      "11 DTSTART: unknown time zone 'Mars/Olympus_Mons': the file has no VTIMEZONE for it and it is not an IANA or Windows zone name such as Europe/Berlin",
    ]);
  });
});

describe('importing calendars from the wild into a warehouse', () => {
  const importWild = async (db: Warehouse, file: string, reporter = silentReporter) =>
    importIcs({
      db,
      pseudonymizer: testPseudonymizer,
      paths: [join(WILD, file)],
      owner: 'ada@example.com',
      from: '2026-03-02',
      to: '2026-04-30',
      reporter,
    });

  it('counts skipped events in the summary and the import log, and warns with file and line', async () => {
    const db = await tempWarehouse();
    const reporter = recordingReporter();
    const summary = await importWild(db, 'one-bad-event-each.ics', reporter);
    expect(summary.skipped.badEvents).toBe(3);
    expect(summary.events).toBe(9);
    expect(summaryLine(summary, '2026-03-02', '2026-04-30')).toContain('3 events with problems');
    const file = join(WILD, 'one-bad-event-each.ics');
    expect(reporter.warnings).toContain(
      `${file}:48 DURATION: event skipped: not a valid duration (expected e.g. PT1H30M or P1D)`,
    );
    const [run] = await db.parse(
      z.object({ summary: z.string() }),
      `SELECT summary::VARCHAR AS summary FROM meta.import_runs WHERE source = 'ics'`,
    );
    const logged = z
      .object({ skipped_bad_events: z.number(), warnings: z.number() })
      .parse(JSON.parse(run?.summary ?? '{}'));
    expect(logged.skipped_bad_events).toBe(3);
    expect(logged.warnings).toBe(summary.warnings);
  });

  it('leaves events and attendees unchanged when each fixture is imported three times', async () => {
    const files = readdirSync(WILD).filter(
      (name) =>
        name.endsWith('.ics') && !['every-event-bad.ics', 'huge-duration.ics'].includes(name),
    );
    expect(files.length).toBeGreaterThanOrEqual(5);
    const db = await tempWarehouse();
    const content = async (): Promise<unknown[]> => [
      ...(await db.all(`SELECT * EXCLUDE (run_id) FROM raw.calendar_events ORDER BY ALL`)),
      ...(await db.all(`SELECT * FROM raw.calendar_attendees ORDER BY ALL`)),
    ];
    const counts = async (): Promise<unknown> =>
      db.all(
        `SELECT (SELECT count(*) FROM raw.calendar_events)::INTEGER AS events,
                (SELECT count(*) FROM raw.calendar_attendees)::INTEGER AS attendees`,
      );
    const importAll = async (): Promise<void> => {
      for (const file of files) await importWild(db, file);
    };
    await importAll();
    const [firstContent, firstCounts] = [await content(), await counts()];
    expect(firstContent.length).toBeGreaterThan(0);
    for (let round = 2; round <= 3; round += 1) {
      await importAll();
      expect(await counts(), `import ${round}`).toEqual(firstCounts);
      expect(await content(), `import ${round}`).toEqual(firstContent);
    }
  });

  it('refuses a file whose every event is bad with exit code 2, importing nothing', () => {
    const result = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'scripts', 'syncbalance.js'),
        ...['--db', join(tempDir(), 'w.duckdb'), 'import', 'ics'],
        ...['--owner', 'ada@example.com', '--from', '2026-03-01', '--to', '2026-03-31'],
        join(WILD, 'every-event-bad.ics'),
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, CI: 'true', SYNCBALANCE_DB: undefined, SYNCBALANCE_SALT: TEST_SALT },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('every-event-bad.ics: every event has problems (2 events)');
    expect(result.stderr).toContain('every-event-bad.ics:7 DURATION: not a valid duration');
  }, 70_000);
});
