import { describe, expect, it } from 'vitest';
import { dayNumber, formatDayNumber } from '../../warehouse/dates.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import { LocalClock } from './local-time.ts';

describe('LocalClock', () => {
  // Half-hour DST (Lord Howe), changes at midnight (Santiago), both hemispheres, and no DST.
  const zones = [
    'Australia/Lord_Howe',
    'America/Santiago',
    'Australia/Sydney',
    'Europe/London',
    'America/New_York',
    'Asia/Kolkata',
  ];
  // Midnight, inside a skipped or repeated hour, a working day, and a night shift's end next day.
  const minutes = [0, 30, 90, 150, 9 * 60, 22 * 60 + 8 * 60];

  it('agrees with localTimeToMicros (and so with DuckDB) on every day of a year', () => {
    const clock = new LocalClock();
    const first = dayNumber('2026-01-01') ?? 0;
    const mismatches: string[] = [];
    for (const zone of zones) {
      for (let day = first; day < first + 365; day++) {
        for (const minute of minutes) {
          const expected = Number(localTimeToMicros(formatDayNumber(day), minute, zone));
          if (clock.micros(zone, day, minute) !== expected)
            mismatches.push(`${zone} ${formatDayNumber(day)} +${minute} min`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
