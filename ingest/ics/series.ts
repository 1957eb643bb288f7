/**
 * Recurring series, expanded by ical.js in the wall-clock time of their DTSTART's zone.
 *
 * RFC 5545 evaluates a rule in the local time of DTSTART (a weekly 10:00 meeting stays at 10:00
 * across DST changes), so we hand ical.js a copy of the series with every time (DTSTART, UNTIL,
 * RDATE, EXDATE) converted to floating wall-clock time in that zone. Besides being the RFC's own
 * model, it keeps ical.js away from zone arithmetic on every candidate date, which is where it
 * spends its time: a ten-year daily series is thousands of steps before the window even begins.
 * Only the instances that may fall in the window are turned back into instants.
 *
 * Every candidate date ical.js tries costs a step; past `MAX_RECURRENCE_STEPS` the series is
 * abandoned (`RecurrenceLimit`). ical.js would otherwise loop forever on a rule no date satisfies,
 * such as `FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30`, and crawl through a huge COUNT at a tiny interval.
 */
import ICAL from 'ical.js';
import { offsetMinutesAt } from '../../warehouse/zoned-time.ts';
import { dateOf, IanaZone, instantOf } from './time.ts';

/**
 * Steps one series may take: 130 years of a daily rule, or 5 of an hourly one, in about a second
 * at worst.
 */
export const MAX_RECURRENCE_STEPS = 50_000;

/** Why a series could not be expanded; the message is ours, never ical.js's. */
export class RecurrenceLimit extends Error {}

const floating = (): ICAL.Timezone => ICAL.Timezone.localTimezone;

function floatingCopy(time: ICAL.Time): ICAL.Time {
  const { year, month, day } = time;
  if (time.isDate) return new ICAL.Time({ year, month, day, isDate: true }, floating());
  const { hour, minute, second } = time;
  return new ICAL.Time({ year, month, day, hour, minute, second, isDate: false }, floating());
}

/**
 * Any time as floating wall-clock time in `zone` (dates stay dates; floating times stay as
 * written). Zones defined by the file convert through ical.js; every other zone (UTC, IANA names,
 * and the floating zone's stand-in) through ICU, as DuckDB would.
 */
export function toWallClock(time: ICAL.Time, zone: ICAL.Timezone, floatingZone: string): ICAL.Time {
  if (time.isDate || time.zone === floating()) return floatingCopy(time);
  if (zone !== floating() && zone !== ICAL.Timezone.utcTimezone && !(zone instanceof IanaZone)) {
    return floatingCopy(time.convertToZone(zone));
  }
  const zoneName =
    zone === floating() ? floatingZone : zone instanceof IanaZone ? zone.iana : 'UTC';
  const instantMs = Number(instantOf(time, floatingZone) / 1000n);
  const wall = new Date(instantMs + offsetMinutesAt(zoneName, instantMs) * 60_000);
  return new ICAL.Time(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
      isDate: false,
    },
    floating(),
  );
}

/**
 * The day a time names: as written for a date, a floating time or a time in a zone (local
 * midnight in Exchange's form for an instance of an all-day series); in the calendar's zone for a
 * UTC time.
 */
export function dateDenoted(time: ICAL.Time, floatingZone: string): string {
  if (time.isDate || time.zone !== ICAL.Timezone.utcTimezone) return dateOf(time);
  return dateOf(toWallClock(time, floating(), floatingZone));
}

/** A wall-clock time back in `zone`. */
export function fromWallClock(wall: ICAL.Time, zone: ICAL.Timezone): ICAL.Time {
  if (wall.isDate) return wall;
  const { year, month, day, hour, minute, second } = wall;
  return new ICAL.Time({ year, month, day, hour, minute, second, isDate: false }, zone);
}

/**
 * The wall-clock starts of a series' instances in order, up to and including the date
 * `lastDate`: DTSTART first unless an EXDATE removes it (RFC 5545 3.8.5.3; ical.js leaves it out
 * when it does not match the rule, and always with RDATE alone), then what RRULE and RDATE give
 * minus EXDATE.
 */
export function* wallClockOccurrences(
  component: ICAL.Component,
  start: ICAL.Time,
  floatingZone: string,
  lastDate: string,
): Generator<ICAL.Time> {
  let steps = 0;
  const step = (): void => {
    steps += 1;
    if (steps > MAX_RECURRENCE_STEPS)
      throw new RecurrenceLimit(
        `expanding its rule to the end of the window takes more than ${MAX_RECURRENCE_STEPS.toLocaleString('en-US')} steps (an interval too small, or a rule no date satisfies)`,
      );
  };
  const zone = start.zone;
  const wallStart = toWallClock(start, zone, floatingZone);
  const series = guarded(() => wallClockCopy(component, start, floatingZone, lastDate, step));
  const firstKey = wallStart.toString();
  const excluded = series.getAllProperties('exdate').some((property) =>
    property.getValues().some((value) => {
      if (!(value instanceof ICAL.Time)) return false;
      // A date excludes a timed instance on that day, as ical.js does.
      if (value.isDate && !wallStart.isDate) return dateOf(value) === dateOf(wallStart);
      return value.toString() === firstKey;
    }),
  );
  if (!excluded && dateOf(wallStart) <= lastDate) yield wallStart;

  const expansion = guarded(
    () => new ICAL.RecurExpansion({ component: series, dtstart: wallStart }),
  );
  for (;;) {
    const time = guarded(() => expansion.next() as ICAL.Time | null | undefined);
    if (time === null || time === undefined || dateOf(time) > lastDate) return;
    step();
    if (time.toString() !== firstKey) yield time;
  }
}

/** Runs ical.js code, turning its failures on a rule into `RecurrenceLimit`. */
function guarded<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof RecurrenceLimit) throw error;
    throw new RecurrenceLimit('ical.js cannot expand its rule');
  }
}

/** The series' recurrence properties, in wall-clock time, with a step count on every rule. */
function wallClockCopy(
  component: ICAL.Component,
  start: ICAL.Time,
  floatingZone: string,
  lastDate: string,
  step: () => void,
): ICAL.Component {
  const zone = start.zone;
  const copy = new ICAL.Component('vevent');
  for (const property of component.getAllProperties('rrule')) {
    const rule = property.getFirstValue();
    if (!(rule instanceof ICAL.Recur)) continue;
    const wallRule = rule.clone();
    if (rule.until !== null) wallRule.until = wallClockUntil(rule.until, start, floatingZone);
    filterMonthlyByMonth(wallRule, lastDate);
    countSteps(wallRule, step);
    copy.addPropertyWithValue('rrule', wallRule);
  }
  for (const name of ['rdate', 'exdate']) {
    for (const property of component.getAllProperties(name)) {
      for (const value of property.getValues()) {
        if (!(value instanceof ICAL.Time)) continue;
        if (start.isDate && !value.isDate) {
          // An all-day series' instance named by a time (Exchange: local midnight in a zone).
          const day = ICAL.Time.fromDateString(dateDenoted(value, floatingZone));
          copy.addPropertyWithValue(name, floatingCopy(day));
        } else {
          copy.addPropertyWithValue(name, toWallClock(value, zone, floatingZone));
        }
      }
    }
  }
  return copy;
}

/**
 * UNTIL in wall-clock time. A date ends a timed series at the end of that day; a time without `Z`
 * is already local (RFC 5545 wants UTC there, but such files exist).
 */
function wallClockUntil(until: ICAL.Time, start: ICAL.Time, floatingZone: string): ICAL.Time {
  if (until.isDate && !start.isDate) {
    const { year, month, day } = until;
    return new ICAL.Time(
      { year, month, day, hour: 23, minute: 59, second: 59, isDate: false },
      floating(),
    );
  }
  return toWallClock(until, start.zone, floatingZone);
}

/**
 * `FREQ=MONTHLY` with `BYMONTH` is wrong in ical.js 2.2.1 (and its current source): COUNT loses
 * the last instance when the count ends in another year than it started (8 instead of 9 for
 * `COUNT=9;BYMONTH=2,4,7,11` from 21 April), BYMONTHDAY lists repeat an instance, and with an
 * INTERVAL months outside BYMONTH appear. In a monthly rule BYMONTH only limits which months'
 * sets are kept (RFC 5545 3.3.10), and BYSETPOS works within one month, so the rule without
 * BYMONTH and COUNT, filtered by month and counted here, is the same rule. DTSTART counts as
 * the first instance whatever its month, as RFC 5545 says and ical.js does.
 */
function filterMonthlyByMonth(rule: ICAL.Recur, lastDate: string): void {
  const byMonth = rule.parts.BYMONTH;
  if (rule.freq !== 'MONTHLY' || byMonth === undefined) return;
  const months = new Set(byMonth);
  const count = rule.count;
  delete rule.parts.BYMONTH;
  rule.count = null;
  const makeIterator = rule.iterator.bind(rule);
  rule.iterator = (from: ICAL.Time) => {
    const iterator = makeIterator(from);
    const next = iterator.next.bind(iterator);
    let kept = 0;
    // RecurExpansion reads `last` and `completed` after each `next()`: both must describe a kept
    // instance. ical.js calls `next(true)` on itself when it meets an instance twice; that inner
    // step is its own business and is not filtered.
    iterator.next = (again?: boolean): ICAL.Time => {
      if (again === true) return next(true);
      for (;;) {
        const time = next() as ICAL.Time | null;
        // Past the window the caller stops; a rule no month satisfies ends at the step limit.
        if (time === null || dateOf(time) > lastDate) return time as ICAL.Time;
        const isStart = kept === 0 && time.compare(from) === 0;
        if (!isStart && !months.has(time.month)) continue;
        kept += 1;
        if (count !== null && kept > count) {
          iterator.completed = true;
          return null as unknown as ICAL.Time;
        }
        return time;
      }
    };
    return iterator;
  };
}

/** Makes every candidate date a rule's iterator tries call `step`. */
function countSteps(rule: ICAL.Recur, step: () => void): void {
  const makeIterator = rule.iterator.bind(rule);
  rule.iterator = (from: ICAL.Time) => {
    const iterator = makeIterator(from);
    const check = iterator.check_contracting_rules.bind(iterator);
    iterator.check_contracting_rules = () => {
      step();
      return check();
    };
    return iterator;
  };
}
