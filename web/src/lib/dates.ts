/**
 * Calendar dates as the API speaks them: 'YYYY-MM-DD' strings naming a day, never an instant.
 * Arithmetic goes through whole days since 1970-01-01 in UTC, which has no daylight-saving gaps,
 * so the browser's own time zone can never shift a week boundary.
 */

const DAY_MS = 86_400_000;

function epochDay(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function fromEpochDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromEpochDay(epochDay(date) + days);
}

export function addWeeks(date: string, weeks: number): string {
  return addDays(date, weeks * 7);
}

/** The Monday of the ISO week containing `date`. */
export function mondayOf(date: string): string {
  // 1970-01-01 was a Thursday: shifting by 3 makes Monday weekday 0.
  const day = epochDay(date);
  const weekday = (((day + 3) % 7) + 7) % 7;
  return fromEpochDay(day - weekday);
}

/** Number of weeks from the week of `from` to the week of `to`, both included. */
export function weeksInRange(from: string, to: string): number {
  return Math.floor((epochDay(mondayOf(to)) - epochDay(mondayOf(from))) / 7) + 1;
}

export function daysBetween(from: string, to: string): number {
  return epochDay(to) - epochDay(from);
}

/** Every Monday from the week of `from` to the week of `to`, oldest first. */
export function mondaysInRange(from: string, to: string): string[] {
  const first = mondayOf(from);
  const count = Math.max(0, weeksInRange(from, to));
  return Array.from({ length: count }, (_, index) => addWeeks(first, index));
}

// The day is formatted in UTC because the string already names the local calendar day.
const dayMonthYear = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});
const dayMonth = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  timeZone: 'UTC',
});

function asUtcDate(date: string): Date {
  return new Date(epochDay(date) * DAY_MS);
}

/** "9 Nov 2026" */
export function formatDay(date: string): string {
  return dayMonthYear.format(asUtcDate(date));
}

/** "9 Nov", for chart axes. */
export function formatShortDay(date: string): string {
  return dayMonth.format(asUtcDate(date));
}

/** "9–15 Nov 2026", or "30 Nov – 6 Dec 2026" when the week spans two months. */
export function formatWeek(monday: string): string {
  const sunday = addDays(monday, 6);
  return dayMonthYear.formatRange(asUtcDate(monday), asUtcDate(sunday));
}

/** "24 Aug – 15 Nov 2026": from the Monday of the first week to the Sunday of the last. */
export function formatWeeksSpan(firstMonday: string, lastMonday: string): string {
  return dayMonthYear.formatRange(asUtcDate(firstMonday), asUtcDate(addDays(lastMonday, 6)));
}

/** An instant (ISO, UTC) in the viewer's own zone and language: "2 Dec 2026, 06:15". */
export function formatInstant(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
