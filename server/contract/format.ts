/**
 * Numbers with their units, the same way everywhere: "7.5 h", "42 min", "27%". Shares (0–1) are
 * shown as percentages, percent metrics (0–100) as they are. An empty value is an em dash; the
 * reason it is empty is shown next to it by the caller.
 */
import type { MetricUnit } from './metrics.ts';

export const EMPTY_VALUE = '—';

const formatters = new Map<number, Intl.NumberFormat>();

function formatNumber(value: number, maximumFractionDigits: number): string {
  let formatter = formatters.get(maximumFractionDigits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-GB', { maximumFractionDigits });
    formatters.set(maximumFractionDigits, formatter);
  }
  // Adding 0 turns -0 into 0, so a value that rounds to nothing never reads "-0".
  return formatter.format(value + 0).replace(/^-0$/, '0');
}

/** One decimal for small numbers, where it matters, none for large ones, where it is noise. */
function digitsFor(magnitude: number): number {
  return Math.abs(magnitude) < 10 ? 1 : 0;
}

/** The number in the unit a reader sees: shares become percentages. */
export function displayNumber(value: number, unit: MetricUnit): number {
  return unit === 'share' ? value * 100 : value;
}

export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null || !Number.isFinite(value)) return EMPTY_VALUE;
  const shown = displayNumber(value, unit);
  switch (unit) {
    case 'hours':
      return `${formatNumber(shown, 1)} h`;
    case 'minutes':
      return `${formatNumber(shown, digitsFor(shown))} min`;
    case 'percent':
    case 'share':
      return `${formatNumber(shown, digitsFor(shown))}%`;
    case 'count':
      return formatNumber(shown, 1);
  }
}

/** Compact labels for chart axes. */
export function formatTick(value: number, unit: MetricUnit): string {
  const shown = displayNumber(value, unit);
  switch (unit) {
    case 'hours':
      return `${formatNumber(shown, 1)} h`;
    case 'minutes':
      return `${formatNumber(shown, 0)} min`;
    case 'percent':
    case 'share':
      return `${formatNumber(shown, 1)}%`;
    case 'count':
      return formatNumber(shown, 1);
  }
}

/**
 * "5–15 min", "≥ 480 min": the label of a distribution bucket [from, to). `compact` leaves out the
 * unit, for axis ticks that would otherwise overlap (the chart names the unit once).
 */
export function formatBucket(
  from: number,
  to: number | null,
  unit: MetricUnit,
  { compact = false }: { compact?: boolean } = {},
): string {
  const lower = formatNumber(displayNumber(from, unit), 1);
  if (to === null) return compact ? `≥ ${lower}` : `≥ ${formatValue(from, unit)}`;
  const upper = formatNumber(displayNumber(to, unit), 1);
  return compact ? `${lower}–${upper}` : `${lower}–${formatValue(to, unit)}`;
}

export function formatPeople(count: number): string {
  return `${formatNumber(count, 0)} ${count === 1 ? 'person' : 'people'}`;
}

/**
 * "5–9 of 12 active": how many were active, as the band the API gives (never an exact count, see
 * docs/privacy.md); "12 people" when no band is shown.
 */
export function formatActive(
  band: { readonly min: number; readonly max: number } | null,
  members: number,
): string {
  if (band === null) return formatPeople(members);
  const active = band.min === band.max ? formatNumber(band.min, 0) : `${band.min}–${band.max}`;
  return `${active} of ${formatNumber(members, 0)} active`;
}
