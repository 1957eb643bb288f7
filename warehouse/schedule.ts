/**
 * Working schedules as people write them: `Mon-Fri`, `Mon,Tue,Thu`, `09:00`.
 * Shared by the config file and the roster so both accept exactly the same spellings.
 */

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** ISO weekday numbers, Monday = 1 … Sunday = 7, as DuckDB's `isodow` returns them. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function weekdayNumber(token: string): IsoWeekday | undefined {
  const index = WEEKDAYS.findIndex((day) => day.toLowerCase() === token.trim().toLowerCase());
  return index === -1 ? undefined : ((index + 1) as IsoWeekday);
}

/**
 * Parses `Mon-Fri`, `Mon,Tue,Thu`, `Sun-Thu` or a mix (`Mon-Wed,Fri`). Ranges run forward and may
 * wrap past Sunday (`Fri-Mon`). Returns the ISO weekday numbers in ascending order.
 */
export function parseWorkDays(text: string): ParseResult<IsoWeekday[]> {
  const days = new Set<IsoWeekday>();
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length === 0 || parts.some((part) => part === '')) {
    return { ok: false, error: `expected days such as Mon-Fri or Mon,Tue,Thu, got '${text}'` };
  }
  for (const part of parts) {
    const bounds = part.split('-');
    if (bounds.length > 2) return { ok: false, error: `'${part}' is not a day or a day range` };
    const first = weekdayNumber(bounds[0] ?? '');
    const last = bounds.length === 2 ? weekdayNumber(bounds[1] ?? '') : first;
    if (first === undefined || last === undefined) {
      const bad = bounds.find((bound) => weekdayNumber(bound) === undefined) ?? part;
      return { ok: false, error: `unknown day '${bad.trim()}' (use ${WEEKDAYS.join(', ')})` };
    }
    for (let day: number = first; ; day = (day % 7) + 1) {
      days.add(day as IsoWeekday);
      if (day === last) break;
    }
  }
  return { ok: true, value: [...days].sort((a, b) => a - b) };
}

export function formatWorkDays(days: readonly IsoWeekday[]): string {
  return days.map((day) => WEEKDAYS[day - 1]).join(',');
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after local midnight for `HH:MM` (00:00 to 23:59). */
export function parseClockTime(text: string): ParseResult<number> {
  const match = HH_MM.exec(text.trim());
  if (!match) return { ok: false, error: `expected HH:MM, got '${text}'` };
  return { ok: true, value: Number(match[1]) * 60 + Number(match[2]) };
}

export function isClockTime(text: string): boolean {
  return HH_MM.test(text.trim());
}

/**
 * True when the runtime's ICU knows the zone. Aliases such as `US/Eastern` are accepted and kept as
 * written: DuckDB's ICU resolves them the same way, and rewriting them would surprise the user.
 */
export function isTimeZone(name: string): boolean {
  if (name.trim() === '' || name !== name.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
