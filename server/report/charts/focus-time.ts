/** Focus time (hours in free blocks long enough to work in, per person-week) with its target. */
import type { TopLevelSpec } from 'vega-lite';
import { trendSpec, type TrendPoint, type TrendTarget } from './trend.ts';

export function focusTimeSpec(
  points: readonly TrendPoint[],
  target: TrendTarget | null,
): TopLevelSpec {
  return trendSpec({ title: 'Focus time', suffix: ' h', points, target });
}
