import { describe, expect, it } from 'vitest';
import {
  addWeeks,
  formatDay,
  formatShortDay,
  formatWeek,
  formatWeeksSpan,
  mondayOf,
  mondaysInRange,
  weeksInRange,
} from './dates.ts';

describe('calendar dates', () => {
  it('finds the Monday of the ISO week, including across a year boundary', () => {
    expect(mondayOf('2026-11-09')).toBe('2026-11-09');
    expect(mondayOf('2026-11-15')).toBe('2026-11-09');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });

  it('counts weeks without drifting over daylight-saving changes in the test zone', () => {
    // Lord Howe moves its clocks by 30 minutes in October and April; whole days must not care.
    expect(addWeeks('2026-09-28', 2)).toBe('2026-10-12');
    expect(addWeeks('2026-04-13', -2)).toBe('2026-03-30');
    expect(weeksInRange('2026-08-24', '2026-11-09')).toBe(12);
    expect(mondaysInRange('2026-10-26', '2026-11-12')).toEqual([
      '2026-10-26',
      '2026-11-02',
      '2026-11-09',
    ]);
  });

  it('labels days and weeks as the calendar day named, whatever the browser zone', () => {
    expect(formatDay('2026-11-09')).toBe('9 Nov 2026');
    expect(formatShortDay('2026-03-01')).toBe('1 Mar');
    expect(formatWeek('2026-11-09')).toMatch(/^9\s?–\s?15 Nov 2026$/);
    expect(formatWeek('2026-12-28')).toMatch(/^28 Dec 2026\s?–\s?3 Jan 2027$/);
    expect(formatWeeksSpan('2026-08-24', '2026-11-09')).toMatch(/^24 Aug\s?–\s?15 Nov 2026$/);
  });
});
