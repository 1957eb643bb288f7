import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import { calendar, vevent } from '../../test/ics/support.ts';
import { parseCalendar } from './parse.ts';
import { IanaZone, importWindow, instantOf, resolveZones, utcKey } from './time.ts';

const iso = (micros: bigint): string => utcKey(micros);

describe('importWindow', () => {
  it("runs from midnight of the first day to midnight after the last, in the calendar's zone", () => {
    const berlin = importWindow('2026-03-02', '2026-03-29', 'Europe/Berlin');
    expect([iso(berlin.startUs), iso(berlin.endUs)]).toEqual([
      '2026-03-01T23:00:00Z',
      '2026-03-29T22:00:00Z',
    ]);
    const utc = importWindow('2026-03-02', '2026-03-29', 'UTC');
    expect([iso(utc.startUs), iso(utc.endUs)]).toEqual([
      '2026-03-02T00:00:00Z',
      '2026-03-30T00:00:00Z',
    ]);
  });

  it('keeps all-day events by the calendar’s own dates, on both sides of UTC', () => {
    const berlin = importWindow('2026-03-02', '2026-03-29', 'Europe/Berlin');
    expect([berlin.allDayStart, berlin.allDayEnd]).toEqual(['2026-03-02', '2026-03-30']);
    const newYork = importWindow('2026-03-02', '2026-03-29', 'America/New_York');
    expect([newYork.allDayStart, newYork.allDayEnd]).toEqual(['2026-03-02', '2026-03-30']);
    const utc = importWindow('2026-03-02', '2026-03-29', 'UTC');
    expect([utc.allDayStart, utc.allDayEnd]).toEqual(['2026-03-02', '2026-03-30']);
  });
});

describe('zones', () => {
  it('gives ical.js the same offsets as DuckDB for an IANA zone, around both DST changes', () => {
    const zone = new IanaZone('America/New_York');
    for (const [date, minutes] of [
      ['2026-03-07', 9 * 60],
      ['2026-03-08', 1 * 60 + 30],
      ['2026-03-08', 2 * 60 + 30],
      ['2026-03-08', 3 * 60],
      ['2026-11-01', 1 * 60 + 30],
      ['2026-11-02', 9 * 60],
    ] as const) {
      const [year, month, day] = date.split('-').map(Number);
      const time = new ICAL.Time(
        { year, month, day, hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0 },
        zone,
      );
      expect(instantOf(time, 'UTC')).toBe(localTimeToMicros(date, minutes, 'America/New_York'));
    }
  });

  it('reads floating times in the zone it is given', () => {
    const time = new ICAL.Time(
      { year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 30 },
      ICAL.Timezone.localTimezone,
    );
    expect(iso(instantOf(time, 'Asia/Tokyo'))).toBe('2026-07-01T00:00:30Z');
    expect(iso(instantOf(time, 'UTC'))).toBe('2026-07-01T09:00:30Z');
  });

  it('resolves an IANA TZID without a VTIMEZONE and marks an unknown one unusable', () => {
    const known = parseCalendar(
      calendar(...vevent('UID:a', 'DTSTART;TZID=Asia/Kolkata:20260303T100000')),
      'cal.ics',
    );
    resolveZones(known, 'cal.ics');
    const start = known.events[0]?.component.getFirstPropertyValue('dtstart');
    expect(start instanceof ICAL.Time ? iso(instantOf(start, 'UTC')) : null).toBe(
      '2026-03-03T04:30:00Z',
    );

    const unknown = parseCalendar(
      calendar(...vevent('UID:a', 'DTSTART;TZID=W. Mars Standard Time:20260303T100000')),
      'cal.ics',
    );
    expect(resolveZones(unknown, 'cal.ics').unusable).toEqual(
      new Map([
        [
          'W. Mars Standard Time',
          "unknown time zone 'W. Mars Standard Time': the file has no VTIMEZONE for it and it is not an IANA or Windows zone name such as Europe/Berlin",
        ],
      ]),
    );
  });
});
