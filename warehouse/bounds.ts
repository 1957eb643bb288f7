/**
 * What the warehouse accepts as a real instant, and how far the reports reach. One stray value (a
 * Slack `ts` of 999999999999, a calendar expanded to 2206) must not turn a build of a few weeks
 * into one of thousands: the importers skip instants outside the plausible range with a counted
 * warning, `import ics` refuses windows longer than `MAX_IMPORT_WINDOW_DAYS`, and the build
 * reports at most `MAX_REPORT_WEEKS` weeks, ignoring activity outside the range. See
 * docs/imports-slack.md and docs/imports-ics.md ("Bounds").
 */
import { addDays, dateInZone } from './dates.ts';

/** No calendar or chat data we read predates this day (UTC). */
export const EARLIEST_PLAUSIBLE_DATE = '2000-01-01';
/** Calendars hold plans; nothing is plausible more than this many days after the import or build. */
export const FUTURE_PLAUSIBLE_DAYS = 731;
/** The longest `import ics --from … --to …` window, in days (about three years). */
export const MAX_IMPORT_WINDOW_DAYS = 1_100;
/** The most weeks a build reports: the latest ones, up to the last plausible activity. */
export const MAX_REPORT_WEEKS = 520;

export interface PlausibleRange {
  /** Microseconds since the epoch; [startUs, endUs). */
  readonly startUs: bigint;
  readonly endUs: bigint;
  /** `YYYY-MM-DD` of both ends (UTC), for messages: the end is exclusive. */
  readonly startDate: string;
  readonly endDate: string;
}

function dayStartUs(date: string): bigint {
  return BigInt(Date.parse(`${date}T00:00:00Z`)) * 1000n;
}

/** The plausible instants for an import or build running at `now`. */
export function plausibleRange(now: Date): PlausibleRange {
  const endDate = addDays(dateInZone(now, 'UTC'), FUTURE_PLAUSIBLE_DAYS);
  return {
    startUs: dayStartUs(EARLIEST_PLAUSIBLE_DATE),
    endUs: dayStartUs(endDate),
    startDate: EARLIEST_PLAUSIBLE_DATE,
    endDate,
  };
}

export function isPlausible(range: PlausibleRange, micros: bigint): boolean {
  return micros >= range.startUs && micros < range.endUs;
}

export function describeRange(range: PlausibleRange): string {
  return `${range.startDate} to ${range.endDate}`;
}
