import { describe, expect, it } from 'vitest';
import { addDays, dateInZone, dayNumber, formatDayNumber, isoWeekday, utcMillis } from './dates.ts';

describe('dayNumber', () => {
  it('counts days from 1970-01-01 for the first and last years iCalendar can write', () => {
    // 719,162 days from 0001-01-01 to 1970-01-01 (proleptic Gregorian), as DuckDB counts them.
    expect(dayNumber('0001-01-01')).toBe(-719_162);
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(dayNumber('9999-12-31')).toBe(2_932_896);
  });

  it('reads years 0000-0099 as themselves, not as 1900-1999', () => {
    expect(dayNumber('0099-12-31')).toBe(-683_004);
    expect(dayNumber('0100-01-01')).toBe(-683_003);
    expect(dayNumber('0000-12-31')).toBe(-719_163);
    expect(formatDayNumber(-719_162)).toBe('0001-01-01');
    expect(addDays('0099-12-31', 1)).toBe('0100-01-01');
    // 0001-01-01 was a Monday in the proleptic Gregorian calendar.
    expect(isoWeekday('0001-01-01')).toBe(1);
  });

  it('knows the leap years of the Gregorian rule in every century, early ones included', () => {
    expect(dayNumber('0004-02-29')).not.toBeNull();
    expect(dayNumber('0000-02-29')).not.toBeNull();
    expect(dayNumber('0100-02-29')).toBeNull();
    expect(dayNumber('0400-02-29')).not.toBeNull();
    expect(dayNumber('1900-02-29')).toBeNull();
    expect(dayNumber('2000-02-29')).not.toBeNull();
    expect(dayNumber('0001-02-29')).toBeNull();
  });

  it('refuses impossible dates rather than rolling them over', () => {
    for (const text of ['0001-13-01', '0001-00-10', '2026-04-31', '2026-01-00', '2026-1-01'])
      expect(dayNumber(text)).toBeNull();
  });

  it('agrees with Date.UTC for every day of the years Date.UTC reads right', () => {
    for (let ms = Date.UTC(1899, 0, 1); ms < Date.UTC(2101, 0, 1); ms += 86_400_000 * 7) {
      const date = new Date(ms).toISOString().slice(0, 10);
      expect(dayNumber(date)).toBe(ms / 86_400_000);
    }
  });
});

describe('utcMillis', () => {
  it('places a time in year 0001 in year 0001', () => {
    expect(new Date(utcMillis(1, 1, 1, 3, 4, 5)).toISOString()).toBe('0001-01-01T03:04:05.000Z');
    expect(new Date(utcMillis(9999, 12, 31, 23, 59, 59)).toISOString()).toBe(
      '9999-12-31T23:59:59.000Z',
    );
  });
});

describe('dateInZone', () => {
  it('gives the local date of one instant in each zone asked, whichever zone was asked first', () => {
    const instant = new Date('2026-03-29T00:30:00Z');
    expect(dateInZone(instant, 'Pacific/Kiritimati')).toBe('2026-03-29');
    expect(dateInZone(instant, 'America/Los_Angeles')).toBe('2026-03-28');
    expect(dateInZone(instant, 'Pacific/Kiritimati')).toBe('2026-03-29');
    expect(dateInZone(new Date('2026-03-29T23:30:00Z'), 'Europe/London')).toBe('2026-03-30');
  });

  it('refuses a zone that does not exist, every time it is asked', () => {
    expect(() => dateInZone(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => dateInZone(new Date(), 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});
