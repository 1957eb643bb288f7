/**
 * Numbers and changes in the words the dashboard uses ("7.5 h", "42 min", "27%", "+3.2 pts"): the
 * same functions (server/contract/format.ts and change.ts, shared with the web), plus what only the
 * report writes (targets, short day labels).
 */
import type { ChangeDisplay } from '../contract/change.ts';
import { formatValue } from '../contract/format.ts';
import type { MetricUnit } from '../contract/metrics.ts';

export { displayNumber, EMPTY_VALUE, formatValue } from '../contract/format.ts';
export { describeChange } from '../contract/change.ts';

/** What the report shows of a change: the dashboard's text and tone, without its arrow. */
export type ChangeText = Pick<ChangeDisplay, 'text' | 'tone'>;

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
