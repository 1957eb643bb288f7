/**
 * Numbers and changes in the words the dashboard uses ("7.5 h", "42 min", "27%", "+3.2 pts"). The
 * dashboard's versions live in web/src/lib/format.ts and change.ts, which server/ may not import;
 * these are reimplemented to the same rules (tested against the same examples) rather than moved,
 * so the dashboard's branch-heavy UI code stays where it is.
 */
import type { MetricInfo, MetricUnit } from '../contract/metrics.ts';

export const EMPTY_VALUE = '—';
const MINUS = '\u2212';

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

/** Compact axis labels: "20%", "12 h", "60 min". */
export function tickSuffix(unit: MetricUnit): string {
  switch (unit) {
    case 'hours':
      return ' h';
    case 'minutes':
      return ' min';
    case 'percent':
    case 'share':
      return '%';
    case 'count':
      return '';
  }
}

function changeUnit(unit: MetricUnit): string {
  switch (unit) {
    case 'hours':
      return ' h';
    case 'minutes':
      return ' min';
    case 'percent':
    case 'share':
      return ' pts';
    case 'count':
      return '';
  }
}

export interface ChangeText {
  /** "+3.2 pts", "−1.5 h", "±0 min" */
  readonly text: string;
  readonly tone: 'better' | 'worse' | 'neutral';
}

/**
 * A change against the previous 4-week average, in the metric's own unit. Percentages and shares
 * move by percentage points, never by a relative percent, which readers misread.
 */
export function describeChange(change: number | null, metric: MetricInfo): ChangeText | null {
  if (change === null || !Number.isFinite(change)) return null;
  const shown = Math.round(displayNumber(change, metric.unit) * 10) / 10;
  if (shown === 0) return { text: `±0${changeUnit(metric.unit)}`, tone: 'neutral' };
  const magnitude = formatNumber(Math.abs(shown), 1);
  const up = shown > 0;
  const tone =
    metric.better === null ? 'neutral' : up === (metric.better === 'higher') ? 'better' : 'worse';
  return { text: `${up ? '+' : MINUS}${magnitude}${changeUnit(metric.unit)}`, tone };
}

/** "≤ 30%", "≥ 12 h" */
export function formatTarget(comparison: 'max' | 'min', target: number, unit: MetricUnit): string {
  return `${comparison === 'max' ? '≤' : '≥'} ${formatValue(target, unit)}`;
}

/** "9 Nov": short, so twelve of them fit under a phone-sized chart. */
export function formatShortDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)));
}

/** "9 November 2026" */
export function formatLongDay(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1)));
}
