/**
 * The team-week metrics as the API, dashboard and CSV name them: one registry, shared by server/
 * and web/. Keys are the column names of `marts.team_weeks` and of the CSV contract; definitions
 * live in docs/metrics.md under a heading that carries the same key, and the dashboard's info
 * popovers show that text (see metric-docs.ts).
 */

export type MetricUnit = 'hours' | 'minutes' | 'percent' | 'share' | 'count';

export interface MetricInfo {
  readonly key: TeamWeekMetric;
  readonly label: string;
  readonly unit: MetricUnit;
  /** The person-week metric this team-week value summarises (heading key in docs/metrics.md). */
  readonly definitionKey: string;
  /** How the team value is formed from person-week values. */
  readonly aggregate: 'median' | 'p25' | 'p75' | 'pooled' | 'all';
  /** Which direction is healthier; null when neither is. */
  readonly better: 'lower' | 'higher' | null;
}

/**
 * Columns of the CSV contract after `team,week_start,members,members_active,suppressed`, in order
 * (`members_active` is kept in place but always empty; the band follows the metrics).
 */
export const CSV_METRICS = [
  'meeting_hours_median',
  'meeting_hours_p25',
  'meeting_hours_p75',
  'meeting_load_pct_median',
  'after_hours_meeting_hours_median',
  'conflict_hours_median',
  'focus_hours_median',
  'focus_hours_p25',
  'focus_hours_p75',
  'fragmented_hours_median',
  'messages_sent_median',
  'off_hours_share_median',
  'public_share',
  'response_median_working_minutes',
  'response_median_working_minutes_p25',
  'response_median_working_minutes_p75',
  'response_median_wall_minutes',
  'responses_within_5min_share_median',
  'sync_share_median',
  'overlap_hours_all',
] as const;

/** Further team-week columns the dashboard charts (not part of the CSV contract). */
export const BREAKDOWN_METRICS = [
  'meetings_count_median',
  'recurring_meeting_hours_median',
  'one_off_meeting_hours_median',
  'one_on_one_meeting_hours_median',
  'large_meeting_hours_median',
  'long_meeting_hours_median',
  'focus_share',
  'fragmented_share',
  'meeting_share',
] as const;

export const TEAM_WEEK_METRICS = [...CSV_METRICS, ...BREAKDOWN_METRICS] as const;
export type TeamWeekMetric = (typeof TEAM_WEEK_METRICS)[number];

/** The five numbers of the weekly review, in the overview's column order. */
export const HEADLINE_METRICS = [
  'meeting_load_pct_median',
  'focus_hours_median',
  'response_median_working_minutes',
  'off_hours_share_median',
  'sync_share_median',
] as const satisfies readonly TeamWeekMetric[];

function info(
  key: TeamWeekMetric,
  label: string,
  unit: MetricUnit,
  definitionKey: string,
  aggregate: MetricInfo['aggregate'],
  better: MetricInfo['better'],
): MetricInfo {
  return { key, label, unit, definitionKey, aggregate, better };
}

export const METRICS: Readonly<Record<TeamWeekMetric, MetricInfo>> = {
  meeting_hours_median: info(
    'meeting_hours_median',
    'Meeting hours',
    'hours',
    'meeting_hours',
    'median',
    'lower',
  ),
  meeting_hours_p25: info(
    'meeting_hours_p25',
    'Meeting hours (25th percentile)',
    'hours',
    'meeting_hours',
    'p25',
    'lower',
  ),
  meeting_hours_p75: info(
    'meeting_hours_p75',
    'Meeting hours (75th percentile)',
    'hours',
    'meeting_hours',
    'p75',
    'lower',
  ),
  meeting_load_pct_median: info(
    'meeting_load_pct_median',
    'Meeting load',
    'percent',
    'meeting_load_pct',
    'median',
    'lower',
  ),
  after_hours_meeting_hours_median: info(
    'after_hours_meeting_hours_median',
    'After-hours meetings',
    'hours',
    'after_hours_meeting_hours',
    'median',
    'lower',
  ),
  conflict_hours_median: info(
    'conflict_hours_median',
    'Double-booked time',
    'hours',
    'conflict_hours',
    'median',
    'lower',
  ),
  focus_hours_median: info(
    'focus_hours_median',
    'Focus time',
    'hours',
    'focus_hours',
    'median',
    'higher',
  ),
  focus_hours_p25: info(
    'focus_hours_p25',
    'Focus time (25th percentile)',
    'hours',
    'focus_hours',
    'p25',
    'higher',
  ),
  focus_hours_p75: info(
    'focus_hours_p75',
    'Focus time (75th percentile)',
    'hours',
    'focus_hours',
    'p75',
    'higher',
  ),
  fragmented_hours_median: info(
    'fragmented_hours_median',
    'Fragmented time',
    'hours',
    'fragmented_hours',
    'median',
    'lower',
  ),
  messages_sent_median: info(
    'messages_sent_median',
    'Messages sent',
    'count',
    'messages_sent',
    'median',
    null,
  ),
  off_hours_share_median: info(
    'off_hours_share_median',
    'Off-hours messages',
    'share',
    'off_hours_share',
    'median',
    'lower',
  ),
  public_share: info(
    'public_share',
    'Messages in public channels',
    'share',
    'public_share',
    'pooled',
    'higher',
  ),
  response_median_working_minutes: info(
    'response_median_working_minutes',
    'Response time (working hours)',
    'minutes',
    'response_median_working_minutes',
    'median',
    null,
  ),
  response_median_working_minutes_p25: info(
    'response_median_working_minutes_p25',
    'Response time, 25th percentile',
    'minutes',
    'response_median_working_minutes',
    'p25',
    null,
  ),
  response_median_working_minutes_p75: info(
    'response_median_working_minutes_p75',
    'Response time, 75th percentile',
    'minutes',
    'response_median_working_minutes',
    'p75',
    null,
  ),
  response_median_wall_minutes: info(
    'response_median_wall_minutes',
    'Response time (clock)',
    'minutes',
    'response_median_wall_minutes',
    'median',
    null,
  ),
  responses_within_5min_share_median: info(
    'responses_within_5min_share_median',
    'Replies within 5 minutes',
    'share',
    'responses_within_5min_share',
    'median',
    'lower',
  ),
  sync_share_median: info(
    'sync_share_median',
    'Sync share',
    'share',
    'sync_share',
    'median',
    'lower',
  ),
  overlap_hours_all: info(
    'overlap_hours_all',
    'Time-zone overlap',
    'hours',
    'overlap_hours_all',
    'all',
    'higher',
  ),
  meetings_count_median: info(
    'meetings_count_median',
    'Meetings',
    'count',
    'meetings_count',
    'median',
    'lower',
  ),
  recurring_meeting_hours_median: info(
    'recurring_meeting_hours_median',
    'Recurring meetings',
    'hours',
    'recurring_meeting_hours',
    'median',
    null,
  ),
  one_off_meeting_hours_median: info(
    'one_off_meeting_hours_median',
    'One-off meetings',
    'hours',
    'one_off_meeting_hours',
    'median',
    null,
  ),
  one_on_one_meeting_hours_median: info(
    'one_on_one_meeting_hours_median',
    '1:1 meetings',
    'hours',
    'one_on_one_meeting_hours',
    'median',
    null,
  ),
  large_meeting_hours_median: info(
    'large_meeting_hours_median',
    'Large meetings (9+)',
    'hours',
    'large_meeting_hours',
    'median',
    'lower',
  ),
  long_meeting_hours_median: info(
    'long_meeting_hours_median',
    'Long meetings (over 60 min)',
    'hours',
    'long_meeting_hours',
    'median',
    'lower',
  ),
  focus_share: info(
    'focus_share',
    'Share of working time in focus blocks',
    'share',
    'focus_hours',
    'pooled',
    'higher',
  ),
  fragmented_share: info(
    'fragmented_share',
    'Share of working time fragmented',
    'share',
    'fragmented_hours',
    'pooled',
    'lower',
  ),
  meeting_share: info(
    'meeting_share',
    'Share of working time in meetings',
    'share',
    'meeting_hours_in_hours',
    'pooled',
    'lower',
  ),
};

/** Person-week metrics whose distribution a team page may show (bucketed, never per person). */
export const DISTRIBUTION_METRICS = [
  'meeting_hours',
  'meeting_load_pct',
  'focus_hours',
  'fragmented_hours',
  'messages_sent',
  'off_hours_share',
  'response_median_working_minutes',
  'response_median_wall_minutes',
  'sync_share',
] as const;
export type DistributionMetric = (typeof DISTRIBUTION_METRICS)[number];

/**
 * Fixed bucket edges per metric: the same buckets for every team and week keep charts comparable,
 * and fixed edges reveal less than edges fitted to a team's values. A bucket is [edge, next edge);
 * the last one is open-ended.
 */
export const DISTRIBUTION_BUCKETS: Readonly<Record<DistributionMetric, readonly number[]>> = {
  meeting_hours: [0, 2, 5, 10, 15, 20, 25, 30],
  meeting_load_pct: [0, 10, 20, 30, 40, 50, 60, 75],
  focus_hours: [0, 4, 8, 12, 16, 20, 25, 30],
  fragmented_hours: [0, 2, 4, 6, 8, 12, 16],
  messages_sent: [0, 25, 50, 100, 150, 200, 300],
  off_hours_share: [0, 0.05, 0.1, 0.2, 0.3, 0.5],
  response_median_working_minutes: [0, 5, 15, 30, 60, 120, 240, 480],
  response_median_wall_minutes: [0, 5, 15, 30, 60, 120, 240, 480, 1440],
  sync_share: [0, 0.2, 0.4, 0.6, 0.8],
};

export const DISTRIBUTION_UNITS: Readonly<Record<DistributionMetric, MetricUnit>> = {
  meeting_hours: 'hours',
  meeting_load_pct: 'percent',
  focus_hours: 'hours',
  fragmented_hours: 'hours',
  messages_sent: 'count',
  off_hours_share: 'share',
  response_median_working_minutes: 'minutes',
  response_median_wall_minutes: 'minutes',
  sync_share: 'share',
};
