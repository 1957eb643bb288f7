/**
 * Series expansion against RFC 5545's own examples (section 3.8.5.3, the monthly and yearly ones
 * with BYMONTH, BYMONTHDAY, BYDAY and BYSETPOS), and the monthly BYMONTH shapes ical.js gets wrong.
 * Times are floating and read in UTC, so each instance's date is the RFC's local date.
 */
import { describe, expect, it } from 'vitest';
import { calendar, expandText, vevent } from '../../test/ics/support.ts';

/** The dates of a series' instances from `dtstart` (a local 09:00) to `to`. */
function dates(dtstart: string, rule: string, to: string, ...extra: string[]): string[] {
  const expanded = expandText(
    calendar(...vevent('UID:series', `DTSTART:${dtstart}T090000`, `RRULE:${rule}`, ...extra)),
    { from: '1996-01-01', to },
  );
  expect(expanded.outcome.warnings).toEqual([]);
  return expanded.events.map((event) => {
    if (event.isAllDay) throw new Error('expected timed instances');
    const start = new Date(Number(event.startAt / 1000n)).toISOString();
    expect(start.slice(11, 16)).toBe('09:00');
    return start.slice(0, 10);
  });
}

/** `1997-09-02` for (1997, 9, [2]), to write the RFC's lists compactly. */
function days(year: number, month: number, ...ofMonth: number[]): string[] {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return ofMonth.map((day) => `${year}-${pad(month)}-${pad(day)}`);
}

describe('RFC 5545 3.8.5.3 examples', () => {
  it('monthly on the first Friday for 10 occurrences, and until 24 December 1997', () => {
    expect(dates('19970905', 'FREQ=MONTHLY;COUNT=10;BYDAY=1FR', '2004-12-31')).toEqual([
      ...days(1997, 9, 5),
      ...days(1997, 10, 3),
      ...days(1997, 11, 7),
      ...days(1997, 12, 5),
      ...days(1998, 1, 2),
      ...days(1998, 2, 6),
      ...days(1998, 3, 6),
      ...days(1998, 4, 3),
      ...days(1998, 5, 1),
      ...days(1998, 6, 5),
    ]);
    expect(
      dates('19970905', 'FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR', '2004-12-31'),
    ).toEqual([
      ...days(1997, 9, 5),
      ...days(1997, 10, 3),
      ...days(1997, 11, 7),
      ...days(1997, 12, 5),
    ]);
  });

  it('every other month on the first and last Sunday for 10 occurrences', () => {
    expect(
      dates('19970907', 'FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU', '2004-12-31'),
    ).toEqual([
      ...days(1997, 9, 7, 28),
      ...days(1997, 11, 2, 30),
      ...days(1998, 1, 4, 25),
      ...days(1998, 3, 1, 29),
      ...days(1998, 5, 3, 31),
    ]);
  });

  it('monthly on the second-to-last Monday for 6 months', () => {
    expect(dates('19970922', 'FREQ=MONTHLY;COUNT=6;BYDAY=-2MO', '2004-12-31')).toEqual([
      ...days(1997, 9, 22),
      ...days(1997, 10, 20),
      ...days(1997, 11, 17),
      ...days(1997, 12, 22),
      ...days(1998, 1, 19),
      ...days(1998, 2, 16),
    ]);
  });

  it('monthly on the third-to-last day, forever', () => {
    expect(dates('19970928', 'FREQ=MONTHLY;BYMONTHDAY=-3', '1998-02-28')).toEqual([
      ...days(1997, 9, 28),
      ...days(1997, 10, 29),
      ...days(1997, 11, 28),
      ...days(1997, 12, 29),
      ...days(1998, 1, 29),
      ...days(1998, 2, 26),
    ]);
  });

  it('monthly on the 2nd and 15th, and on the first and last day, for 10 occurrences', () => {
    expect(dates('19970902', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15', '2004-12-31')).toEqual([
      ...days(1997, 9, 2, 15),
      ...days(1997, 10, 2, 15),
      ...days(1997, 11, 2, 15),
      ...days(1997, 12, 2, 15),
      ...days(1998, 1, 2, 15),
    ]);
    expect(dates('19970930', 'FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1', '2004-12-31')).toEqual([
      ...days(1997, 9, 30),
      ...days(1997, 10, 1, 31),
      ...days(1997, 11, 1, 30),
      ...days(1997, 12, 1, 31),
      ...days(1998, 1, 1, 31),
      ...days(1998, 2, 1),
    ]);
  });

  it('every 18 months on the 10th to 15th for 10 occurrences', () => {
    expect(
      dates(
        '19970910',
        'FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15',
        '2004-12-31',
      ),
    ).toEqual([...days(1997, 9, 10, 11, 12, 13, 14, 15), ...days(1999, 3, 10, 11, 12, 13)]);
  });

  it('every Tuesday, every other month', () => {
    expect(dates('19970902', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=TU', '1998-03-31')).toEqual([
      ...days(1997, 9, 2, 9, 16, 23, 30),
      ...days(1997, 11, 4, 11, 18, 25),
      ...days(1998, 1, 6, 13, 20, 27),
      ...days(1998, 3, 3, 10, 17, 24, 31),
    ]);
  });

  it('yearly in June and July, and every other year in January to March, for 10 occurrences', () => {
    expect(dates('19970610', 'FREQ=YEARLY;COUNT=10;BYMONTH=6,7', '2004-12-31')).toEqual(
      [1997, 1998, 1999, 2000, 2001].flatMap((year) => [
        ...days(year, 6, 10),
        ...days(year, 7, 10),
      ]),
    );
    expect(
      dates('19970310', 'FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3', '2004-12-31'),
    ).toEqual([
      ...days(1997, 3, 10),
      ...[1999, 2001, 2003].flatMap((year) => [1, 2, 3].flatMap((month) => days(year, month, 10))),
    ]);
  });

  it('every Friday the 13th (DTSTART excluded), and the first Saturday after the first Sunday', () => {
    expect(
      dates(
        '19970902',
        'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13',
        '2000-12-31',
        'EXDATE:19970902T090000',
      ),
    ).toEqual([
      ...days(1998, 2, 13),
      ...days(1998, 3, 13),
      ...days(1998, 11, 13),
      ...days(1999, 8, 13),
      ...days(2000, 10, 13),
    ]);
    expect(
      dates('19970913', 'FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13', '1998-06-30'),
    ).toEqual([
      ...days(1997, 9, 13),
      ...days(1997, 10, 11),
      ...days(1997, 11, 8),
      ...days(1997, 12, 13),
      ...days(1998, 1, 10),
      ...days(1998, 2, 7),
      ...days(1998, 3, 7),
      ...days(1998, 4, 11),
      ...days(1998, 5, 9),
      ...days(1998, 6, 13),
    ]);
  });

  it('every four years, the first Tuesday after a Monday in November (U.S. Presidential Election day)', () => {
    expect(
      dates(
        '19961105',
        'FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8',
        '2004-12-31',
      ),
    ).toEqual([...days(1996, 11, 5), ...days(2000, 11, 7), ...days(2004, 11, 2)]);
  });

  it('the third of Tuesday to Thursday for 3 months, and the second-to-last weekday', () => {
    expect(
      dates('19970904', 'FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3', '2004-12-31'),
    ).toEqual([...days(1997, 9, 4), ...days(1997, 10, 7), ...days(1997, 11, 6)]);
    expect(
      dates('19970929', 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2', '1998-03-31'),
    ).toEqual([
      ...days(1997, 9, 29),
      ...days(1997, 10, 30),
      ...days(1997, 11, 27),
      ...days(1997, 12, 30),
      ...days(1998, 1, 29),
      ...days(1998, 2, 26),
      ...days(1998, 3, 30),
    ]);
  });
});

describe('monthly series limited by BYMONTH', () => {
  it('keeps all 9 instances of COUNT=9 across two year ends (ical.js gives 8)', () => {
    expect(dates('20260421', 'FREQ=MONTHLY;COUNT=9;BYMONTH=2,4,7,11', '2030-12-31')).toEqual([
      ...days(2026, 4, 21),
      ...days(2026, 7, 21),
      ...days(2026, 11, 21),
      ...days(2027, 2, 21),
      ...days(2027, 4, 21),
      ...days(2027, 7, 21),
      ...days(2027, 11, 21),
      ...days(2028, 2, 21),
      ...days(2028, 4, 21),
    ]);
  });

  it('keeps only BYMONTH months with an INTERVAL, and counts each instance once', () => {
    // Every other month from March is March, May, July, September, November, January.
    expect(
      dates('20260302', 'FREQ=MONTHLY;INTERVAL=2;COUNT=9;BYMONTH=1,3,9,11;BYDAY=1MO', '2030-12-31'),
    ).toEqual([
      ...days(2026, 3, 2),
      ...days(2026, 9, 7),
      ...days(2026, 11, 2),
      ...days(2027, 1, 4),
      ...days(2027, 3, 1),
      ...days(2027, 9, 6),
      ...days(2027, 11, 1),
      ...days(2028, 1, 3),
      ...days(2028, 3, 6),
    ]);
    expect(
      dates('20260305', 'FREQ=MONTHLY;COUNT=9;BYMONTH=3,6,9,12;BYMONTHDAY=5,-2', '2030-12-31'),
    ).toEqual([
      ...days(2026, 3, 5, 30),
      ...days(2026, 6, 5, 29),
      ...days(2026, 9, 5, 29),
      ...days(2026, 12, 5, 30),
      ...days(2027, 3, 5),
    ]);
  });

  it('counts a DTSTART outside BYMONTH as the first instance, as RFC 5545 says', () => {
    expect(dates('20260115', 'FREQ=MONTHLY;COUNT=3;BYMONTH=3,6,9,12', '2030-12-31')).toEqual([
      ...days(2026, 1, 15),
      ...days(2026, 3, 15),
      ...days(2026, 6, 15),
    ]);
  });

  it('gives no instance on a day BYMONTH never has, and ends at the window', () => {
    expect(dates('20260305', 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30', '2030-12-31')).toEqual(
      days(2026, 3, 5),
    );
  });
});
