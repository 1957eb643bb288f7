/**
 * A team-week as the API shows it. The marts already suppress small groups; the server applies
 * the configured `minGroupSize` once more, so raising it in the config takes effect at once, even
 * before the next build. Every empty value comes with the reason it is empty.
 */
import type { AgreementCheck, MetricCell, TeamAgreements, TeamWeek } from '../contract/api.ts';
import { TEAM_WEEK_METRICS, type TeamWeekMetric } from '../contract/metrics.ts';
import type { ContributorCount, TeamWeekRow, WeekValues } from '../queries/team-weeks.ts';

export function suppressedReason(minGroupSize: number): string {
  return `fewer than ${minGroupSize} active people`;
}

export function emptyCellReason(minGroupSize: number): string {
  return `fewer than ${minGroupSize} people with data for this metric`;
}

/** Which people a metric is computed from, so its cell is checked against the right count. */
const CONTRIBUTORS_OF: Readonly<Record<TeamWeekMetric, ContributorCount | null>> = {
  meeting_hours_median: 'calendar_contributors',
  meeting_hours_p25: 'calendar_contributors',
  meeting_hours_p75: 'calendar_contributors',
  meeting_load_pct_median: 'calendar_contributors',
  after_hours_meeting_hours_median: 'calendar_contributors',
  conflict_hours_median: 'calendar_contributors',
  focus_hours_median: 'calendar_contributors',
  focus_hours_p25: 'calendar_contributors',
  focus_hours_p75: 'calendar_contributors',
  fragmented_hours_median: 'calendar_contributors',
  messages_sent_median: 'message_contributors',
  off_hours_share_median: 'message_contributors',
  public_share: 'message_contributors',
  response_median_working_minutes: 'latency_contributors',
  response_median_working_minutes_p25: 'latency_contributors',
  response_median_working_minutes_p75: 'latency_contributors',
  response_median_wall_minutes: 'latency_contributors',
  responses_within_5min_share_median: 'latency_contributors',
  sync_share_median: null,
  overlap_hours_all: null,
  meetings_count_median: 'calendar_contributors',
  recurring_meeting_hours_median: 'calendar_contributors',
  one_off_meeting_hours_median: 'calendar_contributors',
  one_on_one_meeting_hours_median: 'calendar_contributors',
  large_meeting_hours_median: 'calendar_contributors',
  long_meeting_hours_median: 'calendar_contributors',
  focus_share: 'calendar_contributors',
  fragmented_share: 'calendar_contributors',
  meeting_share: 'calendar_contributors',
};

function isRowSuppressed(values: WeekValues, minGroupSize: number): boolean {
  return values.suppressed || values.membersActive < minGroupSize;
}

function shownValue(
  values: WeekValues,
  metric: TeamWeekMetric,
  minGroupSize: number,
): number | null {
  const source = CONTRIBUTORS_OF[metric];
  const contributors = source === null ? null : values.contributors[source];
  if (contributors !== null && contributors < minGroupSize) return null;
  return values.metrics[metric];
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
  const suppressed = isRowSuppressed(row, minGroupSize);
  const rowReason = suppressed ? suppressedReason(minGroupSize) : null;
  const orgValues = row.org !== null && !isRowSuppressed(row.org, minGroupSize) ? row.org : null;
  const metrics = {} as Record<TeamWeekMetric, MetricCell>;
  const org = {} as Record<TeamWeekMetric, number | null>;
  for (const metric of TEAM_WEEK_METRICS) {
    const value = suppressed ? null : shownValue(row, metric, minGroupSize);
    metrics[metric] =
      value === null
        ? { value: null, reason: rowReason ?? emptyCellReason(minGroupSize) }
        : { value, reason: null };
    org[metric] = orgValues === null ? null : shownValue(orgValues, metric, minGroupSize);
  }
  return {
    week_start: row.weekStart,
    members: row.members,
    members_active: row.membersActive,
    suppressed,
    reason: rowReason,
    metrics,
    org,
    agreements: agreementChecks(metrics, agreements),
  };
}
