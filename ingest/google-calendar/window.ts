/**
 * The window a calendar is synced for. Whole weeks in the owner's zone, Monday to Monday: a week
 * has calendar metrics only when coverage spans all of it, so a window starting mid-week would
 * leave its first week unknown for nothing.
 */
import { addDays, dateInZone, weekStart } from '../../warehouse/dates.ts';
import type { OwnerWindow } from '../../warehouse/raw/calendar-sync.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';

export type SyncWindow = Omit<OwnerWindow, 'ownerId'>;

export interface WindowSettings {
  readonly weeksBack: number;
  readonly weeksAhead: number;
}

/**
 * From the Monday `weeksBack` weeks before today (or the Monday of `from`) to the end of the week
 * `weeksAhead` weeks after today, with midnight in `zone` as the day boundary.
 */
export function syncWindow(
  now: Date,
  zone: string,
  settings: WindowSettings,
  from?: string,
): SyncWindow {
  const today = dateInZone(now, zone);
  const first = weekStart(from ?? addDays(today, -7 * settings.weeksBack));
  const end = addDays(weekStart(addDays(today, 7 * settings.weeksAhead)), 7);
  return {
    start: localTimeToMicros(first, 0, zone),
    end: localTimeToMicros(end, 0, zone),
    allDayStart: first,
    allDayEnd: end,
  };
}

/** The smallest window holding both: a full re-sync never drops weeks an earlier sync covered. */
export function unionWindow(a: SyncWindow, b: SyncWindow): SyncWindow {
  return {
    start: a.start < b.start ? a.start : b.start,
    end: a.end > b.end ? a.end : b.end,
    allDayStart: a.allDayStart < b.allDayStart ? a.allDayStart : b.allDayStart,
    allDayEnd: a.allDayEnd > b.allDayEnd ? a.allDayEnd : b.allDayEnd,
  };
}

/** An RFC 3339 instant for `timeMin` / `timeMax`. */
export function rfc3339(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString();
}
