/**
 * Local wall-clock time → UTC instant for the generator's hot loops. The answer must be exactly
 * `localTimeToMicros`'s (which agrees with DuckDB's ICU), but that function asks `Intl` several
 * times per call, far too slow for millions of messages. Per zone and day, this cache keeps the
 * instant of local midnight; on a day whose length is exactly 24 hours the zone's offset does not
 * change, so any time of that day is midnight plus its minutes. Days with a DST change (23 or 25
 * hours, or a half-hour shift) go to `localTimeToMicros` itself.
 *
 * Instants are numbers of microseconds, exact up to 2^53 (the year 2255).
 */
import { formatDayNumber } from '../../warehouse/dates.ts';
import { localTimeToMicros } from '../../warehouse/zoned-time.ts';

export const MINUTE_US = 60_000_000;
export const HOUR_US = 60 * MINUTE_US;
export const DAY_US = 24 * HOUR_US;

interface LocalDay {
  readonly midnight: number;
  /** False on a day whose offset changes: such times are converted one by one. */
  readonly regular: boolean;
}

export class LocalClock {
  readonly #days = new Map<string, Map<number, LocalDay>>();

  /** The instant of `minutes` (whole) after local midnight of day number `day`; may pass midnight. */
  micros(zone: string, day: number, minutes: number): number {
    const carry = Math.floor(minutes / 1440);
    const localDay = this.#day(zone, day + carry);
    const rest = minutes - carry * 1440;
    if (localDay.regular) return localDay.midnight + rest * MINUTE_US;
    return Number(localTimeToMicros(formatDayNumber(day + carry), rest, zone));
  }

  #day(zone: string, day: number): LocalDay {
    let byDay = this.#days.get(zone);
    if (!byDay) {
      byDay = new Map();
      this.#days.set(zone, byDay);
    }
    let localDay = byDay.get(day);
    if (!localDay) {
      const midnight = Number(localTimeToMicros(formatDayNumber(day), 0, zone));
      const next = Number(localTimeToMicros(formatDayNumber(day + 1), 0, zone));
      localDay = { midnight, regular: next - midnight === DAY_US };
      byDay.set(day, localDay);
    }
    return localDay;
  }
}
