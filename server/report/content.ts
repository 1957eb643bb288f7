/**
 * What one manager's report says, before it is laid out as HTML or text: per team the verdict on
 * its working agreements, the headline numbers with their change and the organisation's value, and
 * the chart specs. It starts from the same presented team-weeks as the API (`presentTeamWeek`:
 * suppression decided by the build, the same reasons in the same words), so the report cannot
 * show a number the dashboard hides.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AgreementCheck, TeamAgreements, TeamWeek } from '../contract/api.ts';
import { HEADLINE_METRICS, METRICS, type TeamWeekMetric } from '../contract/metrics.ts';
import { changeVsBaseline } from '../routes/overview.ts';
import { focusTimeSpec } from './charts/focus-time.ts';
import { meetingLoadSpec } from './charts/meeting-load.ts';
import type { TrendPoint, TrendTarget } from './charts/trend.ts';
import {
  describeChange,
  displayNumber,
  EMPTY_VALUE,
  formatShortDay,
  formatTarget,
  formatValue,
  type ChangeText,
} from './format.ts';

export const TREND_WEEKS = 12;

/** The dashboard's words for a hidden team-week (web OverviewPage and TeamPage). */
export const SMALL_GROUP_HINT = 'Numbers for small groups would point at individuals.';

export interface HeadlineNumber {
  readonly metric: TeamWeekMetric;
  readonly label: string;
  /** Formatted value, or the em dash when empty. */
  readonly value: string;
  /** Why the value is empty (the API's reason); null when there is a value. */
  readonly reason: string | null;
  readonly change: ChangeText | null;
  readonly org: string;
  /** "≤ 30%" when the team has a target for this metric. */
  readonly target: string | null;
  readonly met: boolean | null;
}

export interface ReportChart {
  /** Unique within the message: the `cid:` of its image. */
  readonly id: string;
  readonly title: string;
  /** The chart in words, for clients that block images and for screen readers. */
  readonly alt: string;
  readonly spec: TopLevelSpec;
}

export interface TeamSection {
  readonly path: string;
  readonly url: string;
  /**
   * `shown`: the week has numbers. `week-hidden`: this week is suppressed, earlier ones are not.
   * `all-hidden`: every week of the trend is suppressed, so nothing but the notice is shown.
   * `no-data`: nothing imported for this week.
   */
  readonly state: 'shown' | 'week-hidden' | 'all-hidden' | 'no-data';
  /** The suppression or no-data notice, in the dashboard's words; null when shown. */
  readonly notice: string | null;
  readonly verdict: string | null;
  readonly headline: readonly HeadlineNumber[];
  readonly charts: readonly ReportChart[];
  /** Short labels of the trend's suppressed weeks (gaps in the charts). */
  readonly hiddenWeeks: readonly string[];
  /** Short labels of the trend's probable holidays (left out of the 4-week comparison). */
  readonly holidayWeeks: readonly string[];
}

export interface ReportContent {
  readonly week: string;
  readonly subject: string;
  readonly teams: readonly TeamSection[];
  readonly minGroupSize: number;
}

export interface TeamInput {
  readonly path: string;
  readonly agreements: TeamAgreements;
  /** The presented team-weeks of the trend, oldest first (up to TREND_WEEKS). */
  readonly weeks: readonly TeamWeek[];
}

const AGREEMENT_TARGETS: readonly {
  readonly metric: AgreementCheck['metric'];
  readonly comparison: 'max' | 'min';
  readonly field: keyof TeamAgreements;
}[] = [
  { metric: 'meeting_load_pct_median', comparison: 'max', field: 'meeting_load_pct_max' },
  { metric: 'focus_hours_median', comparison: 'min', field: 'focus_hours_min' },
  {
    metric: 'response_median_working_minutes',
    comparison: 'max',
    field: 'response_median_working_minutes_max',
  },
  { metric: 'off_hours_share_median', comparison: 'max', field: 'off_hours_share_max' },
];

function targetOf(agreements: TeamAgreements, metric: TeamWeekMetric): TrendTarget | null {
  const entry = AGREEMENT_TARGETS.find((candidate) => candidate.metric === metric);
  if (entry === undefined) return null;
  const value = agreements[entry.field];
  return value === null ? null : { comparison: entry.comparison, value };
}

/** "team path" → the dashboard's team page, opened on the report's week. */
export function teamUrl(dashboardUrl: string, team: string, week: string): string {
  const base = dashboardUrl.replace(/\/+$/, '');
  return `${base}/teams/${team.split('/').map(encodeURIComponent).join('/')}?week=${week}`;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** "Met 3 of 4 working agreements. Missed: meeting load (48%, target ≤ 30%)." */
export function verdictOf(week: TeamWeek): string {
  const checks = week.agreements;
  if (checks.length === 0) return 'No working agreements are set for this team.';
  const met = checks.filter((check) => check.met === true);
  const missed = checks.filter((check) => check.met === false);
  const unknown = checks.length - met.length - missed.length;
  const checked = met.length + missed.length;
  if (checked === 0) return 'No working agreement could be measured this week.';
  const unmeasured = unknown === 0 ? '' : ` (${unknown} not measurable)`;
  const head = `Met ${met.length} of ${checked} working agreement${checked === 1 ? '' : 's'}${unmeasured}.`;
  if (missed.length === 0) return head;
  const list = missed.map((check) => {
    const info = METRICS[check.metric];
    const value = week.metrics[check.metric].value;
    return `${lowerFirst(info.label)} (${formatValue(value, info.unit)}, target ${formatTarget(check.comparison, check.target, info.unit)})`;
  });
  return `${head} Missed: ${list.join('; ')}.`;
}

function headlineOf(week: TeamWeek, trend: readonly TeamWeek[]): HeadlineNumber[] {
  const change = changeVsBaseline(trend, week.week_start);
  return HEADLINE_METRICS.map((metric) => {
    const info = METRICS[metric];
    const cell = week.metrics[metric];
    const check = week.agreements.find((candidate) => candidate.metric === metric);
    return {
      metric,
      label: info.label,
      value: formatValue(cell.value, info.unit),
      reason: cell.value === null ? cell.reason : null,
      change: describeChange(change[metric] ?? null, info),
      org: formatValue(week.org[metric], info.unit),
      target: check === undefined ? null : formatTarget(check.comparison, check.target, info.unit),
      met: check?.met ?? null,
    };
  });
}

function points(weeks: readonly TeamWeek[], metric: TeamWeekMetric): TrendPoint[] {
  const unit = METRICS[metric].unit;
  const shown = (value: number | null) => (value === null ? null : displayNumber(value, unit));
  return weeks.map((week) => ({
    label: formatShortDay(week.week_start),
    team: shown(week.metrics[metric].value),
    org: shown(week.org[metric]),
  }));
}

function chartAlt(
  title: string,
  metric: TeamWeekMetric,
  weeks: readonly TeamWeek[],
  target: TrendTarget | null,
): string {
  const unit = METRICS[metric].unit;
  const last = weeks.at(-1);
  const now = last === undefined ? EMPTY_VALUE : formatValue(last.metrics[metric].value, unit);
  const org = last === undefined ? EMPTY_VALUE : formatValue(last.org[metric], unit);
  const targetText =
    target === null ? '' : `; target ${formatTarget(target.comparison, target.value, unit)}`;
  return `${title}, last ${weeks.length} weeks: this team ${now} in the latest week, organisation ${org}${targetText}.`;
}

function chartId(team: string, name: string): string {
  return `${name}-${team.replace(/[^A-Za-z0-9]+/g, '-').toLowerCase()}@syncbalance`;
}

export function teamSection(
  input: TeamInput,
  reportWeek: string,
  dashboardUrl: string,
): TeamSection {
  const url = teamUrl(dashboardUrl, input.path, reportWeek);
  const trend = input.weeks;
  const hiddenWeeks = trend
    .filter((week) => week.suppressed)
    .map((week) => formatShortDay(week.week_start));
  const reasons = [
    ...new Set(trend.filter((week) => week.suppressed).map((week) => week.reason ?? 'hidden')),
  ];
  const holidayWeeks = trend
    .filter((week) => week.marks.probable_holiday)
    .map((week) => formatShortDay(week.week_start));
  const base = { path: input.path, url, hiddenWeeks, holidayWeeks };
  if (trend.length > 0 && trend.every((week) => week.suppressed)) {
    return {
      ...base,
      state: 'all-hidden',
      notice: `Every week in the last ${trend.length} is hidden: this team had ${reasons.join('; ')} in each of them. Numbers for so few people would point at individuals, so syncbalance does not show them. The team’s people are still counted in its parent team.`,
      verdict: null,
      headline: [],
      charts: [],
    };
  }
  const charts: ReportChart[] = [
    { metric: 'meeting_load_pct_median' as const, name: 'meeting-load', build: meetingLoadSpec },
    { metric: 'focus_hours_median' as const, name: 'focus-time', build: focusTimeSpec },
  ].map(({ metric, name, build }) => {
    const target = targetOf(input.agreements, metric);
    const title = METRICS[metric].label;
    return {
      id: chartId(input.path, name),
      title,
      alt: chartAlt(title, metric, trend, target),
      spec: build(points(trend, metric), target),
    };
  });
  const week = trend.find((candidate) => candidate.week_start === reportWeek);
  if (week === undefined) {
    return {
      ...base,
      state: 'no-data',
      notice: 'Not shown: no data for this week.',
      verdict: null,
      headline: [],
      charts: trend.length === 0 ? [] : charts,
    };
  }
  if (week.suppressed) {
    return {
      ...base,
      state: 'week-hidden',
      notice: `Not shown: ${week.reason ?? 'hidden'}. ${SMALL_GROUP_HINT}`,
      verdict: null,
      headline: [],
      charts,
    };
  }
  return {
    ...base,
    state: 'shown',
    notice: null,
    verdict: verdictOf(week),
    headline: headlineOf(week, trend),
    charts,
  };
}

export function reportSubject(week: string, teams: readonly TeamSection[]): string {
  const names = teams.map((team) => team.path);
  const what = names.length === 1 ? (names[0] ?? '') : `${names.length} teams`;
  return `Week of ${formatShortDay(week)}: ${what} — syncbalance weekly report`;
}
