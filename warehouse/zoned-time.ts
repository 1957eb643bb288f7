/**
 * Local wall-clock time in an IANA zone → UTC instant, for the few places that must create instants
 * from local times in JS (floating iCalendar times, the demo generator). Everything else does this
 * in SQL with DuckDB's `timezone()`.
 *
 * Never build a JS `Date` from local fields and "fix" it by the machine's offset: that answer
 * changes with the machine's zone and is wrong around DST. Here the offset comes from ICU via
 * `Intl` for the named zone only, and times that do not exist or exist twice are resolved the way
 * DuckDB's ICU resolves them, so JS and SQL always agree:
 * - a skipped time (spring forward) moves forward by the gap: 02:30 on a 02:00→03:00 night is 03:30;
 * - a repeated time (fall back) is the later of its two instants.
 */
import { dayNumber, utcMillis } from './dates.ts';

const MINUTE_MS = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's UTC offset in minutes at an instant (positive east of Greenwich). */
export function offsetMinutesAt(timeZone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = utcMillis(
    parts['year'] ?? 0,
    parts['month'] ?? 1,
    parts['day'] ?? 1,
    parts['hour'] ?? 0,
    parts['minute'] ?? 0,
    parts['second'] ?? 0,
  );
  const flooredInstant = Math.floor(instantMs / 1000) * 1000;
  return Math.round((asUtc - flooredInstant) / MINUTE_MS);
}

/**
 * The UTC instant, in microseconds since the epoch, of a local date (`YYYY-MM-DD`) and a number of
 * minutes after its midnight (may exceed 1440 to reach the next day) in `timeZone`.
 */
export function localTimeToMicros(
  date: string,
  minutesAfterMidnight: number,
  timeZone: string,
): bigint {
  const days = dayNumber(date);
  if (days === null) throw new Error(`not a date: ${date}`);
  const wallMs = days * 86_400_000 + minutesAfterMidnight * MINUTE_MS;
  // Offsets a day either side bracket any transition near this wall time.
  const before = offsetMinutesAt(timeZone, wallMs - 36 * 60 * MINUTE_MS);
  const after = offsetMinutesAt(timeZone, wallMs + 36 * 60 * MINUTE_MS);
  const valid = [...new Set([before, after, offsetMinutesAt(timeZone, wallMs)])]
    .map((offset) => wallMs - offset * MINUTE_MS)
    .filter((instant) => wallMs - offsetMinutesAt(timeZone, instant) * MINUTE_MS === instant);
  // Repeated wall time: the later instant. Skipped wall time: the offset in force before the gap.
  const instantMs = valid.length > 0 ? Math.max(...valid) : wallMs - before * MINUTE_MS;
  return BigInt(instantMs) * 1000n;
}
