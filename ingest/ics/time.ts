/**
 * Turning iCalendar times into UTC instants, and the import window.
 *
 * Three kinds of local time reach us, and none of them ever goes through a JS `Date` built from
 * local fields:
 * - a TZID defined by a VTIMEZONE in the same file: ical.js finds it in the file's own component
 *   tree and converts with it (one file's definitions never leak into another's);
 * - a TZID with no VTIMEZONE that is an IANA name: an `IanaZone` registered with ical.js, whose
 *   offsets come from `warehouse/zoned-time.ts`, so they match DuckDB's ICU to the second;
 * - floating times (no zone at all): expanded by ical.js as wall-clock times, then placed in the
 *   calendar's zone with `localTimeToMicros`.
 */
import ICAL from 'ical.js';
import { addDays, utcMillis } from '../../warehouse/dates.ts';
import { InputError, type Problem } from '../../warehouse/errors.ts';
import { isTimeZone } from '../../warehouse/schedule.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';
import type { ParsedCalendar } from './parse.ts';

const MICROS_PER_SECOND = 1_000_000n;

/**
 * An IANA zone for ical.js. Registered process-wide on purpose: an IANA name means the same thing
 * in every file, and a file's own VTIMEZONE still wins because ical.js looks there first.
 */
export class IanaZone extends ICAL.Timezone {
  constructor(tzid: string) {
    super({ tzid });
  }

  override utcOffset(time: ICAL.Time): number {
    const wallMinutes = time.hour * 60 + time.minute;
    const instantMs = Number(localTimeToMicros(dateOf(time), wallMinutes, this.tzid) / 1000n);
    const wallMs = utcMillis(time.year, time.month, time.day, time.hour, time.minute);
    return (wallMs - instantMs) / 1000;
  }
}

/**
 * Makes every TZID the file uses resolvable: its own VTIMEZONE, else the IANA zone of that name.
 * A TZID that is neither is bad input, reported at the first line that uses it.
 */
export function resolveZones(calendar: ParsedCalendar, file: string): void {
  const problems: Problem[] = [];
  for (const [tzid, location] of calendar.zoneReferences) {
    if (calendar.embeddedZones.has(tzid)) continue;
    const registered: unknown = ICAL.TimezoneService.get(tzid);
    if (registered instanceof IanaZone || registered === ICAL.Timezone.utcTimezone) continue;
    if (isTimeZone(tzid)) {
      ICAL.TimezoneService.register(new IanaZone(tzid));
    } else {
      problems.push({
        location,
        message: `unknown time zone '${printable(tzid)}': the file has no VTIMEZONE for it and it is not an IANA name such as Europe/Berlin`,
      });
    }
  }
  if (problems.length > 0) {
    throw new InputError(
      `${file}: ${problems.length} unknown time zone${problems.length === 1 ? '' : 's'}; nothing was imported`,
      problems,
    );
  }
}

/** A zone name from a file, safe to print: no control characters, bounded length. */
export function printable(text: string): string {
  const clean = text.replace(/[\p{Cc}\p{Cf}]/gu, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}

/** `YYYY-MM-DD` of a time's own (wall-clock) date. */
export function dateOf(time: ICAL.Time): string {
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  return `${pad(time.year, 4)}-${pad(time.month, 2)}-${pad(time.day, 2)}`;
}

/** The UTC instant of a date-time in microseconds; floating times are read in `floatingZone`. */
export function instantOf(time: ICAL.Time, floatingZone: string): bigint {
  if (time.zone === ICAL.Timezone.localTimezone) {
    const wallMinutes = time.hour * 60 + time.minute;
    return (
      localTimeToMicros(dateOf(time), wallMinutes, floatingZone) +
      BigInt(time.second) * MICROS_PER_SECOND
    );
  }
  return BigInt(Math.round(time.toUnixTime())) * MICROS_PER_SECOND;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of `recurrenceKey` for timed instances. */
export function utcKey(micros: bigint): string {
  return `${new Date(Number(micros / 1000n)).toISOString().slice(0, 19)}Z`;
}

export interface ImportWindow {
  /** First and last day asked for, inclusive. */
  readonly from: string;
  readonly to: string;
  /** Timed instances starting in [startUs, endUs) are imported. */
  readonly startUs: bigint;
  readonly endUs: bigint;
  /** All-day instances starting on a date in [allDayStart, allDayEnd) are imported. */
  readonly allDayStart: string;
  readonly allDayEnd: string;
}

/**
 * The window from the first to the last day (inclusive), with day boundaries at midnight in the
 * calendar's zone. All-day events are the calendar's own dates, so they are kept (and replaced)
 * by the days asked for, whatever the zone.
 */
export function importWindow(from: string, to: string, zone: string): ImportWindow {
  return {
    from,
    to,
    startUs: localTimeToMicros(from, 0, zone),
    endUs: localTimeToMicros(addDays(to, 1), 0, zone),
    allDayStart: from,
    allDayEnd: addDays(to, 1),
  };
}
