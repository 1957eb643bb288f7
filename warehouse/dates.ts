/**
 * Calendar dates (`YYYY-MM-DD`) as plain values. Arithmetic is done on day numbers since the epoch,
 * never by building a JS `Date` at a local wall-clock time: such a `Date` silently takes the
 * machine's zone, which is how "the week starts on Sunday in Sydney" bugs are born.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date, by arithmetic that is right for every year
 * 0000-9999. `Date.UTC(year, …)` is not: it reads years 0-99 as 1900-1999 (eM Client writes
 * VTIMEZONE onsets in year 0001). Months and days outside their range are not checked here.
 */
export function civilDayNumber(year: number, month: number, day: number): number {
  // Years counted from March, so the leap day is the last day of a year (H. Hinnant's algorithm).
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Milliseconds since the epoch of a UTC date and time, for any year 0000-9999 (see above). */
export function utcMillis(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  return civilDayNumber(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** Days since 1970-01-01, or null when `text` is not a real calendar date. */
export function dayNumber(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const days = civilDayNumber(year, month, day);
  return formatDayNumber(days) === text ? days : null;
}

export function isIsoDate(text: string): boolean {
  return dayNumber(text) !== null;
}

export function formatDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const start = dayNumber(date);
  if (start === null) throw new Error(`not a date: ${date}`);
  return formatDayNumber(start + days);
}

/** ISO weekday of a date: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: string): number {
  const days = dayNumber(date);
  if (days === null) throw new Error(`not a date: ${date}`);
  // 1970-01-01 was a Thursday (4).
  return ((((days + 3) % 7) + 7) % 7) + 1;
}

/** The Monday on or before `date`. */
export function weekStart(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/**
 * One formatter per zone: building an `Intl.DateTimeFormat` costs far more than formatting with it
 * (the server asks for today's date in the organisation's zone on every overview request).
 */
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The date an instant falls on in an IANA zone. */
export function dateInZone(instant: Date, timeZone: string): string {
  let format = dateFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

/** Monday of the last ISO week that has fully ended in `timeZone` at `now`. */
export function lastCompleteWeekStart(now: Date, timeZone: string): string {
  return addDays(weekStart(dateInZone(now, timeZone)), -7);
}
