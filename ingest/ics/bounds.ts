/**
 * Limits on what one calendar file may ask of the importer, checked before ical.js sees a value.
 *
 * ical.js walks durations and intervals a month at a time and has no limits of its own:
 * `DURATION:P999999999999999999W` or `RRULE:FREQ=DAILY;INTERVAL=999999999999999` keeps it busy
 * forever. Real calendars are far inside these bounds, so a value beyond them is a broken event,
 * never data to keep.
 */

/** The longest event: five years (a long leave is the longest real event we know of). */
export const MAX_EVENT_DAYS = 1_830;

/** The longest step between two instances of a rule: a century. */
export const MAX_RULE_INTERVAL_DAYS = 36_525;

const SECONDS_PER_DAY = 86_400;
const FREQUENCY_DAYS: Readonly<Record<string, number>> = {
  SECONDLY: 1 / SECONDS_PER_DAY,
  MINUTELY: 60 / SECONDS_PER_DAY,
  HOURLY: 3_600 / SECONDS_PER_DAY,
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 31,
  YEARLY: 366,
};

const DURATION_PARTS = /^[+-]?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Days a duration text (already checked for its shape) spans, in floating point. */
export function durationDays(text: string): number {
  const match = DURATION_PARTS.exec(text);
  const part = (index: number): number => Number(match?.[index] ?? 0);
  return part(1) * 7 + part(2) + (part(3) * 3_600 + part(4) * 60 + part(5)) / SECONDS_PER_DAY;
}

export function eventLengthProblem(days: number): string | null {
  return days > MAX_EVENT_DAYS
    ? `the event would last more than ${MAX_EVENT_DAYS.toLocaleString('en-US')} days (five years)`
    : null;
}

/** A rule's INTERVAL checked against the century bound, in the rule's own unit. */
export function ruleIntervalProblem(freq: unknown, interval: unknown): string | null {
  // ical.js reads a missing, zero or negative INTERVAL as 1, and refuses one that is not a number.
  if (typeof interval !== 'number') return null;
  const unit = typeof freq === 'string' ? FREQUENCY_DAYS[freq] : undefined;
  if (unit !== undefined && interval * unit > MAX_RULE_INTERVAL_DAYS)
    return `not a valid recurrence rule: INTERVAL=${interval} puts more than a century between instances`;
  return null;
}
