/** Meeting load (share of working time in meetings, percent) over the last weeks, with its target. */
import type { TopLevelSpec } from 'vega-lite';
import { trendSpec, type TrendPoint, type TrendTarget } from './trend.ts';

export function meetingLoadSpec(
  points: readonly TrendPoint[],
  target: TrendTarget | null,
): TopLevelSpec {
  return trendSpec({ title: 'Meeting load', suffix: '%', points, target });
}
