import { describe, expect, it } from 'vitest';
import { rfc3339, syncWindow, unionWindow } from './window.ts';

describe('syncWindow', () => {
  it('runs from the Monday 26 weeks back to the end of the week 4 weeks ahead, at midnight in the zone', () => {
    // Today is Wednesday 2026-03-25 in Sydney (it is still the 24th in UTC).
    const window = syncWindow(new Date('2026-03-24T20:00:00Z'), 'Australia/Sydney', {
      weeksBack: 26,
      weeksAhead: 4,
    });
    expect(window.allDayStart).toBe('2025-09-22');
    expect(window.allDayEnd).toBe('2026-04-27');
    // Sydney is at +10:00 in September (standard time) and +10:00 again after April 5.
    expect(rfc3339(window.start)).toBe('2025-09-21T14:00:00.000Z');
    expect(rfc3339(window.end)).toBe('2026-04-26T14:00:00.000Z');
  });

  it('starts at the Monday of --from', () => {
    const window = syncWindow(
      new Date('2026-03-25T12:00:00Z'),
      'UTC',
      { weeksBack: 26, weeksAhead: 0 },
      '2026-01-01',
    );
    expect([window.allDayStart, window.allDayEnd]).toEqual(['2025-12-29', '2026-03-30']);
  });
});

describe('unionWindow', () => {
  it('keeps every week either window covers', () => {
    const a = syncWindow(new Date('2026-03-25T12:00:00Z'), 'UTC', { weeksBack: 2, weeksAhead: 0 });
    const b = syncWindow(new Date('2026-04-25T12:00:00Z'), 'UTC', { weeksBack: 2, weeksAhead: 0 });
    const union = unionWindow(a, b);
    expect([union.allDayStart, union.allDayEnd]).toEqual([a.allDayStart, b.allDayEnd]);
    expect([union.start, union.end]).toEqual([a.start, b.end]);
  });
});
