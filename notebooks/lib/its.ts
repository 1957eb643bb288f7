/**
 * Did a policy change a team's week? An interrupted time series on weekly values (segmented
 * regression) and a difference-in-differences against a comparison team.
 *
 * Segmented regression: value = b0 + b1·τ + b2·after + b3·τ·after + error, where τ counts weeks
 * from the first week after the start (τ = 0 there) and `after` is 1 from that week on. b2 is the
 * level change at the start, b3 the change in weekly slope; b0 + b1·τ continued past the start is
 * the counterfactual (the trend had nothing changed). Ordinary least squares with t intervals on
 * n − 4 degrees of freedom; weekly values are often autocorrelated, so the lag-1 autocorrelation
 * of the residuals is reported for the reader to judge how far to trust the intervals.
 *
 * A week is "after" when it contains the start date or follows it. Suppressed weeks (null values)
 * are left out, never filled in; with fewer than `minWeeksEachSide` [4] known weeks on either
 * side the analysis refuses to conclude, and says why.
 */
import { at, ols, type Coefficient } from './stats.ts';

export interface WeekValue {
  /** Monday of the ISO week, `YYYY-MM-DD`. */
  readonly week: string;
  /** The week's value; null when the week is suppressed (too few contributors) or unknown. */
  readonly value: number | null;
}

export interface ItsOptions {
  readonly minWeeksEachSide?: number;
  readonly confidence?: number;
}

export interface FittedWeek {
  readonly week: string;
  readonly after: boolean;
  readonly value: number;
  readonly fitted: number;
  /** The pre-start trend continued; only for weeks after the start. */
  readonly counterfactual: number | null;
}

interface Counts {
  /** Known weeks before the start. */
  readonly weeksBefore: number;
  /** Known weeks from the start on. */
  readonly weeksAfter: number;
  /** Weeks left out because their value is suppressed or unknown. */
  readonly weeksSuppressed: number;
}

export type ItsResult =
  | (Counts & { readonly kind: 'refused'; readonly reason: string })
  | (Counts & {
      readonly kind: 'estimate';
      readonly confidence: number;
      readonly df: number;
      readonly tCritical: number;
      /** Value at the last week before the start, on the fitted pre-start line. */
      readonly baseline: number;
      readonly preSlope: Coefficient;
      readonly levelChange: Coefficient;
      readonly slopeChange: Coefficient;
      readonly residualAutocorrelation: number;
      readonly weeks: readonly FittedWeek[];
    });

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`expected a date as YYYY-MM-DD, got ${JSON.stringify(date)}`);
  // Calendar arithmetic on dates only (UTC midnight of each), so no time zone is involved.
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** Whether the week starting on `week` contains `start` or comes after it. */
export function isAfter(week: string, start: string): boolean {
  return dayNumber(week) + 6 >= dayNumber(start);
}

function split(series: readonly WeekValue[], start: string) {
  const sorted = [...series].sort((a, b) => a.week.localeCompare(b.week));
  const known = sorted.filter(
    (point): point is WeekValue & { value: number } =>
      point.value !== null && Number.isFinite(point.value),
  );
  const before = known.filter((point) => !isAfter(point.week, start));
  const after = known.filter((point) => isAfter(point.week, start));
  return {
    known,
    before,
    after,
    counts: {
      weeksBefore: before.length,
      weeksAfter: after.length,
      weeksSuppressed: sorted.length - known.length,
    },
  };
}

function refusal(counts: Counts, minWeeks: number, subject: string): string | null {
  if (counts.weeksBefore >= minWeeks && counts.weeksAfter >= minWeeks) return null;
  const allSuppressed = counts.weeksBefore + counts.weeksAfter === 0 && counts.weeksSuppressed > 0;
  if (allSuppressed) {
    return `every week of ${subject} is suppressed (too few people), so nothing can be concluded`;
  }
  const suppressed =
    counts.weeksSuppressed > 0 ? ` (${counts.weeksSuppressed} suppressed weeks left out)` : '';
  return `${subject} has ${counts.weeksBefore} known weeks before the start and ${counts.weeksAfter} from it on${suppressed}; at least ${minWeeks} on each side are needed to tell a change from noise`;
}

/** Segmented regression of a weekly series around `start` (`YYYY-MM-DD`). */
export function interruptedTimeSeries(
  series: readonly WeekValue[],
  start: string,
  options: ItsOptions = {},
): ItsResult {
  const minWeeks = options.minWeeksEachSide ?? 4;
  const confidence = options.confidence ?? 0.95;
  const { known, after, counts } = split(series, start);
  const refused = refusal(counts, minWeeks, 'the series');
  if (refused !== null) return { kind: 'refused', reason: refused, ...counts };

  const origin = dayNumber(at(after, 0).week);
  const rows = known.map((point) => {
    const tau = (dayNumber(point.week) - origin) / 7;
    const post = isAfter(point.week, start) ? 1 : 0;
    return [1, tau, post, tau * post];
  });
  const fit = ols(
    rows,
    known.map((point) => point.value),
    confidence,
  );
  const [b0, b1, b2, b3] = fit.coefficients as [Coefficient, Coefficient, Coefficient, Coefficient];
  const residuals = fit.residuals;
  const mean = residuals.reduce((sum, e) => sum + e, 0) / residuals.length;
  let lagged = 0;
  let total = 0;
  for (let i = 0; i < residuals.length; i++) {
    total += (at(residuals, i) - mean) ** 2;
    if (i > 0) lagged += (at(residuals, i) - mean) * (at(residuals, i - 1) - mean);
  }
  return {
    kind: 'estimate',
    ...counts,
    confidence,
    df: fit.df,
    tCritical: fit.tCritical,
    baseline: b0.estimate - b1.estimate,
    preSlope: b1,
    levelChange: b2,
    slopeChange: b3,
    residualAutocorrelation: total > 0 ? lagged / total : 0,
    weeks: known.map((point, i) => {
      const tau = at(at(rows, i), 1);
      const isPost = at(at(rows, i), 2) === 1;
      return {
        week: point.week,
        after: isPost,
        value: point.value,
        fitted: at(fit.fitted, i),
        counterfactual: isPost ? b0.estimate + b1.estimate * tau : null,
      };
    }),
  };
}

export type DidResult =
  | (Counts & { readonly kind: 'refused'; readonly reason: string })
  | (Counts & {
      readonly kind: 'estimate';
      readonly confidence: number;
      readonly df: number;
      readonly tCritical: number;
      /** Mean of treated − comparison over the weeks before the start. */
      readonly gapBefore: number;
      /** The change in that gap after the start: the difference-in-differences estimate. */
      readonly effect: Coefficient;
    });

/**
 * Difference-in-differences: how much the gap between the team and a comparison team changed
 * after the start. Computed as a regression of the weekly gap (team − comparison, weeks where both
 * are known) on an after-start indicator, so shocks common to both teams in a week (a holiday, a
 * company all-hands) cancel out before the interval is computed; df = n − 2.
 */
export function differenceInDifferences(
  treated: readonly WeekValue[],
  comparison: readonly WeekValue[],
  start: string,
  options: ItsOptions = {},
): DidResult {
  const minWeeks = options.minWeeksEachSide ?? 4;
  const confidence = options.confidence ?? 0.95;
  const other = new Map(comparison.map((point) => [point.week, point.value]));
  const gaps: WeekValue[] = treated.map((point) => {
    const value = other.get(point.week);
    return {
      week: point.week,
      value:
        point.value === null || value === undefined || value === null ? null : point.value - value,
    };
  });
  const { known, counts } = split(gaps, start);
  const refused = refusal(counts, minWeeks, 'the pair of teams');
  if (refused !== null) return { kind: 'refused', reason: refused, ...counts };
  const fit = ols(
    known.map((point) => [1, isAfter(point.week, start) ? 1 : 0]),
    known.map((point) => point.value),
    confidence,
  );
  const [gap, effect] = fit.coefficients as [Coefficient, Coefficient];
  return {
    kind: 'estimate',
    ...counts,
    confidence,
    df: fit.df,
    tCritical: fit.tCritical,
    gapBefore: gap.estimate,
    effect,
  };
}

/** Whether a coefficient's interval excludes zero. */
export function isSignificant(coefficient: Coefficient): boolean {
  return coefficient.low > 0 || coefficient.high < 0;
}
