import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Warehouse } from './db.ts';
import { utcMillis } from './dates.ts';
import { localTimeToMicros, offsetMinutesAt } from './zoned-time.ts';

const iso = (micros: bigint): string => new Date(Number(micros / 1000n)).toISOString();

describe('localTimeToMicros', () => {
  it('converts an ordinary local time with the zone offset of that date', () => {
    expect(iso(localTimeToMicros('2026-07-01', 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(iso(localTimeToMicros('2026-01-15', 9 * 60, 'Europe/Berlin'))).toBe(
      '2026-01-15T08:00:00.000Z',
    );
    expect(iso(localTimeToMicros('2026-01-15', 9 * 60 + 30, 'Asia/Kolkata'))).toBe(
      '2026-01-15T04:00:00.000Z',
    );
  });

  it('moves a time skipped by spring-forward ahead by the gap, as ICU does', () => {
    // Europe/London skips 01:00-02:00 on 2026-03-29: 01:30 is read as 02:30 BST = 01:30Z.
    expect(iso(localTimeToMicros('2026-03-29', 90, 'Europe/London'))).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  it('takes the later instant of a time repeated by fall-back, as ICU does', () => {
    // Europe/London repeats 01:00-02:00 on 2026-10-25: 01:30 GMT (01:30Z), not 01:30 BST (00:30Z).
    expect(iso(localTimeToMicros('2026-10-25', 90, 'Europe/London'))).toBe(
      '2026-10-25T01:30:00.000Z',
    );
  });

  it('handles half-hour DST shifts and minutes past midnight', () => {
    // Lord Howe moves from +10:30 to +11:00 on 2026-10-04 at 02:00 local.
    expect(offsetMinutesAt('Australia/Lord_Howe', Date.UTC(2026, 6, 1))).toBe(630);
    expect(offsetMinutesAt('Australia/Lord_Howe', Date.UTC(2026, 11, 1))).toBe(660);
    expect(iso(localTimeToMicros('2026-10-03', 24 * 60 + 60, 'Australia/Lord_Howe'))).toBe(
      '2026-10-03T14:30:00.000Z',
    );
  });
});

describe('agreement with DuckDB timezone()', () => {
  let db: Warehouse;
  beforeAll(async () => {
    db = await Warehouse.memory();
  });
  afterAll(() => {
    db.close();
  });

  const zones = [
    'Europe/London',
    'America/New_York',
    'Australia/Sydney',
    'Australia/Lord_Howe',
    'America/Santiago',
    'Pacific/Chatham',
    'Asia/Kathmandu',
    'UTC',
  ];
  const dates = [
    '2026-03-08',
    '2026-03-29',
    '2026-04-05',
    '2026-09-06',
    '2026-09-27',
    '2026-10-04',
    '2026-10-25',
    '2026-11-01',
  ];

  it('gives the same instant for every half hour of every transition day in many zones', async () => {
    const cases = zones.flatMap((zone) =>
      dates.flatMap((date) =>
        Array.from({ length: 48 }, (_, slot) => ({ zone, date, minutes: slot * 30 })),
      ),
    );
    const rows = await db.parse(
      z.object({ zone: z.string(), date: z.string(), minutes: z.number(), micros: z.string() }),
      `SELECT zone, date, minutes,
              epoch_us(timezone(zone, date::DATE + to_minutes(minutes)))::VARCHAR AS micros
       FROM (SELECT unnest(from_json($1, '[{"zone":"VARCHAR","date":"VARCHAR","minutes":"INTEGER"}]'), recursive := true))`,
      [JSON.stringify(cases)],
    );
    expect(rows).toHaveLength(cases.length);
    const mismatches = rows.filter(
      (row) => localTimeToMicros(row.date, row.minutes, row.zone).toString() !== row.micros,
    );
    expect(mismatches).toEqual([]);
  });
});

describe('offsetMinutesAt in the first century', () => {
  it('gives the local mean time offset of year 0001, not a 1900-year error', () => {
    // Before 1893 the tz database gives Berlin its local mean time, +00:53:28.
    expect(offsetMinutesAt('Europe/Berlin', utcMillis(1, 6, 1, 12))).toBe(53);
    expect(offsetMinutesAt('Europe/Berlin', utcMillis(99, 12, 31, 12))).toBe(53);
    expect(iso(localTimeToMicros('0001-06-01', 12 * 60, 'UTC'))).toBe('0001-06-01T12:00:00.000Z');
  });
});
