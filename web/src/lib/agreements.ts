/**
 * Working agreements: targets a team set itself (config `workingAgreements`). The API evaluates
 * each week (`agreements[].met`: true, false, or null when the metric is empty that week); this
 * module turns those checks into what the dashboard marks: a breach per cell, a compliance count
 * per week, and target lines on the charts.
 */
import type {
  AgreementCheck,
  MetricUnit,
  TeamAgreements,
  TeamWeek,
  TeamWeekMetric,
} from '../../../server/contract/index.ts';
import { formatValue } from '../../../server/contract/format.ts';

export type AgreementMetric = AgreementCheck['metric'];

export interface AgreementTarget {
  readonly metric: AgreementMetric;
  readonly comparison: AgreementCheck['comparison'];
  readonly target: number;
}

/** Which team-week metric each configured target applies to, and in which direction. */
const AGREEMENT_FIELDS = [
  { field: 'meeting_load_pct_max', metric: 'meeting_load_pct_median', comparison: 'max' },
  { field: 'focus_hours_min', metric: 'focus_hours_median', comparison: 'min' },
  {
    field: 'response_median_working_minutes_max',
    metric: 'response_median_working_minutes',
    comparison: 'max',
  },
  { field: 'off_hours_share_max', metric: 'off_hours_share_median', comparison: 'max' },
] as const satisfies readonly {
  field: keyof TeamAgreements;
  metric: AgreementMetric;
  comparison: AgreementCheck['comparison'];
}[];

/** The team's targets, in the overview's column order; targets left unset are not listed. */
export function agreementTargets(agreements: TeamAgreements): AgreementTarget[] {
  return AGREEMENT_FIELDS.flatMap(({ field, metric, comparison }) => {
    const target = agreements[field];
    return target === null ? [] : [{ metric, comparison, target }];
  });
}

export function targetFor(
  agreements: TeamAgreements,
  metric: TeamWeekMetric,
): AgreementTarget | undefined {
  return agreementTargets(agreements).find((target) => target.metric === metric);
}

export type AgreementStatus = 'met' | 'missed' | 'unknown' | 'none';

/** A cell's status: 'none' when the team has no target for the metric. */
export function agreementStatus(week: TeamWeek | null, metric: TeamWeekMetric): AgreementStatus {
  const check = week?.agreements.find((candidate) => candidate.metric === metric);
  if (!check) return 'none';
  if (check.met === null) return 'unknown';
  return check.met ? 'met' : 'missed';
}

export interface Compliance {
  readonly met: number;
  readonly missed: number;
  /** Targets that could not be checked because the metric was empty (e.g. suppressed). */
  readonly unknown: number;
  readonly total: number;
}

export function compliance(checks: readonly AgreementCheck[]): Compliance {
  const met = checks.filter((check) => check.met === true).length;
  const missed = checks.filter((check) => check.met === false).length;
  return { met, missed, unknown: checks.length - met - missed, total: checks.length };
}

/** "met 3 of 4", "met 2 of 3 (1 not measurable)", "no targets". */
export function describeCompliance({ met, missed, unknown, total }: Compliance): string {
  if (total === 0) return 'no targets';
  const checked = met + missed;
  if (checked === 0) return 'not measurable';
  const unmeasured = unknown === 0 ? '' : ` (${unknown} not measurable)`;
  return `met ${met} of ${checked}${unmeasured}`;
}

/** "≤ 30%", "≥ 12 h" */
export function formatTarget(target: AgreementTarget, unit: MetricUnit): string {
  return `${target.comparison === 'max' ? '≤' : '≥'} ${formatValue(target.target, unit)}`;
}

/** "at most 30%", "at least 12 h": the target in words, for labels read aloud. */
export function describeTarget(target: AgreementTarget, unit: MetricUnit): string {
  return `${target.comparison === 'max' ? 'at most' : 'at least'} ${formatValue(target.target, unit)}`;
}
