/**
 * A team-week as the API shows it. Suppression is decided once, by the build (marts built with
 * another minGroupSize than the configured one are refused before this, see `assertMartsBuilt`);
 * here every empty value gets the reason it is empty.
 */
import type { AgreementCheck, MetricCell, TeamAgreements, TeamWeek } from '../contract/api.ts';
import { METRICS, TEAM_WEEK_METRICS, type TeamWeekMetric } from '../contract/metrics.ts';
import { suppressedReason, weekMarksOf, withheldSumReason } from '../../warehouse/data-health.ts';
import type { TeamWeekRow } from '../queries/team-weeks.ts';

// Worded in the warehouse, where the Data page and `syncbalance status` word the same rules.
export { suppressedReason, withheldSumReason };

export function emptyCellReason(minGroupSize: number): string {
  return `fewer than ${minGroupSize} people with data for this metric`;
}

/** Percentiles need twice the group size: with fewer, p25 and p75 are nearly individuals' values. */
export function emptyPercentileReason(minGroupSize: number): string {
  return `fewer than ${2 * minGroupSize} people with data for this metric (needed for percentiles)`;
}

function emptyReason(metric: TeamWeekMetric, row: TeamWeekRow, minGroupSize: number): string {
  const { aggregate } = METRICS[metric];
  if (aggregate === 'pooled' && row.countsWithheld) return withheldSumReason(minGroupSize);
  if (aggregate === 'p25' || aggregate === 'p75') return emptyPercentileReason(minGroupSize);
  return emptyCellReason(minGroupSize);
}

export function agreementChecks(
  metrics: Readonly<Record<TeamWeekMetric, MetricCell>>,
  agreements: TeamAgreements,
): AgreementCheck[] {
  const targets: [AgreementCheck['metric'], AgreementCheck['comparison'], number | null][] = [
    ['meeting_load_pct_median', 'max', agreements.meeting_load_pct_max],
    ['focus_hours_median', 'min', agreements.focus_hours_min],
    ['response_median_working_minutes', 'max', agreements.response_median_working_minutes_max],
    ['off_hours_share_median', 'max', agreements.off_hours_share_max],
  ];
  return targets.flatMap(([metric, comparison, target]) => {
    if (target === null) return [];
    const value = metrics[metric].value;
    const met = value === null ? null : comparison === 'max' ? value <= target : value >= target;
    return [{ metric, comparison, target, met }];
  });
}

export function presentTeamWeek(
  row: TeamWeekRow,
  agreements: TeamAgreements,
  minGroupSize: number,
): TeamWeek {
  const suppressed = row.suppressed;
  const rowReason = suppressed ? suppressedReason(minGroupSize) : null;
  const orgValues = row.org !== null && !row.org.suppressed ? row.org : null;
  const metrics = {} as Record<TeamWeekMetric, MetricCell>;
  const org = {} as Record<TeamWeekMetric, number | null>;
  for (const metric of TEAM_WEEK_METRICS) {
    const value = suppressed ? null : row.metrics[metric];
    metrics[metric] =
      value === null
        ? { value: null, reason: rowReason ?? emptyReason(metric, row, minGroupSize) }
        : { value, reason: null };
    org[metric] = orgValues === null ? null : orgValues.metrics[metric];
  }
  return {
    week_start: row.weekStart,
    members: row.members,
    members_active_band: suppressed ? null : row.membersActiveBand,
    members_active_reason: suppressed
      ? rowReason
      : row.membersActiveBand === null
        ? withheldSumReason(minGroupSize)
        : null,
    suppressed,
    reason: rowReason,
    metrics,
    org,
    agreements: agreementChecks(metrics, agreements),
    marks: weekMarksOf(row.marks, minGroupSize),
  };
}

/** A presented team-week with its JSON, computed once per row (see `presentedTeamWeek`). */
export interface PresentedTeamWeek {
  readonly week: TeamWeek;
  readonly json: string;
}

const presented = new WeakMap<TeamWeekRow, { key: string; value: PresentedTeamWeek }>();

/**
 * `presentTeamWeek` with its JSON, remembered per row: a snapshot's rows are read once and kept
 * (`WarehouseReads`), and every overview and team-weeks body shows the same team-weeks again, so
 * presenting and serialising each of them once, instead of in every body, is most of those
 * endpoints' work saved. Keyed by the row object, so the memory goes with the snapshot's rows.
 */
export function presentedTeamWeek(
  row: TeamWeekRow,
  agreements: TeamAgreements,
  minGroupSize: number,
): PresentedTeamWeek {
  const key = `${minGroupSize} ${agreements.meeting_load_pct_max} ${agreements.focus_hours_min} ${agreements.response_median_working_minutes_max} ${agreements.off_hours_share_max}`;
  const known = presented.get(row);
  if (known !== undefined && known.key === key) return known.value;
  const week = presentTeamWeek(row, agreements, minGroupSize);
  const value = { week, json: JSON.stringify(week) };
  presented.set(row, { key, value });
  return value;
}

/**
 * The JSON of `head` with one more property, `name`, whose value is an array of JSON texts
 * written already: byte for byte `JSON.stringify({ ...head, [name]: values })`.
 */
export function jsonWithArray(
  head: Record<string, unknown>,
  name: string,
  items: readonly string[],
): string {
  const start = JSON.stringify(head);
  const open = start === '{}' ? '{' : `${start.slice(0, -1)},`;
  return `${open}${JSON.stringify(name)}:[${items.join(',')}]}`;
}
