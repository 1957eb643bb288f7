/**
 * Chart data from API weeks: one point per week, empty cells kept as null so lines break instead
 * of inventing values, and the reasons for empty weeks collected for the note under each chart.
 */
import type { TeamWeek, TeamWeekMetric } from '../../../server/contract/index.ts';
import { formatShortDay } from './dates.ts';

export interface TrendPoint {
  readonly week: string;
  readonly value: number | null;
  /** The organisation's value that week (reference line). */
  readonly org: number | null;
  /** The 25th–75th percentile band, when the metric has one and both ends are known. */
  readonly band: readonly [number, number] | null;
}

export function trendPoints(
  weeks: readonly TeamWeek[],
  metric: TeamWeekMetric,
  band?: readonly [TeamWeekMetric, TeamWeekMetric],
): TrendPoint[] {
  return weeks.map((week) => {
    const low = band ? week.metrics[band[0]].value : null;
    const high = band ? week.metrics[band[1]].value : null;
    return {
      week: week.week_start,
      value: week.metrics[metric].value,
      org: week.org[metric],
      band: low !== null && high !== null ? [low, high] : null,
    };
  });
}

export interface EmptyWeeks {
  readonly reason: string;
  readonly weeks: readonly string[];
}

/**
 * Why weeks of a metric are empty, grouped by reason, oldest first: a suppressed week gives the
 * row's reason, an empty cell its own one ("fewer than 5 people with calendar data").
 */
export function emptyWeeks(
  weeks: readonly TeamWeek[],
  metrics: readonly TeamWeekMetric[],
): EmptyWeeks[] {
  const byReason = new Map<string, string[]>();
  for (const week of weeks) {
    const empty = metrics.every((metric) => week.metrics[metric].value === null);
    if (!empty) continue;
    const reason =
      (week.suppressed ? week.reason : null) ??
      metrics.map((metric) => week.metrics[metric].reason).find((text) => text !== null) ??
      'no data';
    byReason.set(reason, [...(byReason.get(reason) ?? []), week.week_start]);
  }
  return [...byReason].map(([reason, list]) => ({ reason, weeks: list }));
}

/** "2 weeks empty (fewer than 5 active people): 14 Sep, 21 Sep." */
export function describeEmptyWeeks({ reason, weeks }: EmptyWeeks): string {
  const count = weeks.length === 1 ? '1 week' : `${weeks.length} weeks`;
  return `${count} without a value (${reason}): ${weeks.map(formatShortDay).join(', ')}.`;
}

/**
 * Whether a chart should stretch its scale to show the target line. A target far beyond every
 * value (a 240-minute response target over replies of 40 minutes) would flatten the team's line
 * into the floor, so then the chart keeps its scale and the legend says the target is off it.
 */
export function targetFitsScale(points: readonly TrendPoint[], target: number): boolean {
  const values = points.flatMap((point) => [
    ...(point.value === null ? [] : [point.value]),
    ...(point.org === null ? [] : [point.org]),
    ...(point.band === null ? [] : [point.band[1]]),
  ]);
  if (values.length === 0) return true;
  return target <= TARGET_SCALE_LIMIT * Math.max(...values);
}

/** How far above the highest value a target may lie and still be drawn to scale. */
const TARGET_SCALE_LIMIT = 3;
