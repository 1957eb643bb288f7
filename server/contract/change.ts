/**
 * How the overview shows "change against the team's previous 4-week average": the API gives the
 * difference in the metric's own unit (this week minus the average of the 4 weeks before); this
 * turns it into a signed label, an arrow direction and whether the move is healthier or not.
 * Percentages and shares change by percentage points ("pts"), never by a relative percent, which
 * managers misread ("+10%" of 30% is not 40%).
 */
import type { MetricInfo } from './metrics.ts';
import { displayNumber } from './format.ts';

export interface ChangeDisplay {
  /** "+3.2 pts", "−1.5 h", "±0 min" */
  readonly text: string;
  readonly direction: 'up' | 'down' | 'flat';
  readonly tone: 'better' | 'worse' | 'neutral';
  /** The whole statement for screen readers and tooltips. */
  readonly description: string;
}

const MINUS = '\u2212';

function shortUnit(unit: MetricInfo['unit']): string {
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

function longUnit(unit: MetricInfo['unit'], magnitude: number): string {
  const plural = magnitude !== 1;
  switch (unit) {
    case 'hours':
      return plural ? ' hours' : ' hour';
    case 'minutes':
      return plural ? ' minutes' : ' minute';
    case 'percent':
    case 'share':
      return plural ? ' percentage points' : ' percentage point';
    case 'count':
      return '';
  }
}

/** Changes are shown with one decimal; anything that rounds to zero is "no change". */
function rounded(value: number): number {
  return Math.round(value * 10) / 10;
}

export function describeChange(change: number | null, metric: MetricInfo): ChangeDisplay | null {
  if (change === null || !Number.isFinite(change)) return null;
  const shown = rounded(displayNumber(change, metric.unit));
  const magnitude = Math.abs(shown);
  const number = magnitude.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  if (shown === 0) {
    return {
      text: `±0${shortUnit(metric.unit)}`,
      direction: 'flat',
      tone: 'neutral',
      description: 'about the same as the previous 4-week average',
    };
  }
  const direction = shown > 0 ? 'up' : 'down';
  const tone =
    metric.better === null
      ? 'neutral'
      : (direction === 'down') === (metric.better === 'lower')
        ? 'better'
        : 'worse';
  const verdict = tone === 'neutral' ? '' : ` (${tone})`;
  return {
    text: `${shown > 0 ? '+' : MINUS}${number}${shortUnit(metric.unit)}`,
    direction,
    tone,
    description: `${number}${longUnit(metric.unit, magnitude)} ${direction === 'up' ? 'higher' : 'lower'} than the previous 4-week average${verdict}`,
  };
}
