/**
 * Request and response schemas of the HTTP API, shared by server/ (which validates requests and
 * builds responses from them) and web/ (which parses responses with them). Pure zod: no Node.js
 * imports, so the browser bundle can use it. JSON keys are snake_case, the vocabulary of the
 * warehouse, the CSV and docs/metrics.md.
 *
 * Privacy contract (docs/privacy.md): no response carries a person's name, email or identifier,
 * nor an exact count of active people or contributors. Suppressed rows and empty cells are `null`
 * with a human-readable reason.
 */
import { z } from 'zod';
import { EARLIEST_PLAUSIBLE_DATE } from '../../warehouse/bounds.ts';
import { teamPathSchema } from '../../warehouse/team-path.ts';
import { DISTRIBUTION_METRICS, TEAM_WEEK_METRICS, type TeamWeekMetric } from './metrics.ts';

// ---- shared request pieces ----------------------------------------------------------------

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The dates a request may name: the warehouse holds nothing before its plausible range
 * (warehouse/bounds.ts), and a date such as 0001-01-01 would only reach the database to fail.
 */
export const API_DATE_RANGE = { from: EARLIEST_PLAUSIBLE_DATE, to: '2099-12-31' } as const;

export const isoDateSchema = z
  .string()
  .regex(ISO_DATE, { message: 'expected a date as YYYY-MM-DD' })
  .refine(
    (value) =>
      !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) &&
      new Date(`${value}T00:00:00Z`).toISOString().startsWith(value),
    {
      message: 'not a real calendar date',
    },
  )
  .refine((value) => value >= API_DATE_RANGE.from && value <= API_DATE_RANGE.to, {
    message: `expected a date from ${API_DATE_RANGE.from} to ${API_DATE_RANGE.to}`,
  });

// One rule for the roster, the config and the API (warehouse/team-path.ts).
export { MAX_TEAM_PATH_LENGTH, teamPathSchema } from '../../warehouse/team-path.ts';

/** Maximum span of one request, to keep every query cheap. */
export const MAX_RANGE_DAYS = 3 * 366;

export const dateRangeSchema = z
  .object({ from: isoDateSchema, to: isoDateSchema })
  .refine((range) => range.from <= range.to, {
    message: 'from must not be after to',
    path: ['from'],
  })
  .refine(
    (range) => (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 <= MAX_RANGE_DAYS,
    {
      message: `the range may span at most ${MAX_RANGE_DAYS} days`,
      path: ['to'],
    },
  );

export const teamWeeksQuerySchema = dateRangeSchema;
export const distributionQuerySchema = z.object({
  week: isoDateSchema,
  metric: z.enum(DISTRIBUTION_METRICS),
});
export const overviewQuerySchema = z.object({ week: isoDateSchema.optional() });
export const exportQuerySchema = z.intersection(
  z.object({ team: teamPathSchema.optional() }),
  z.object({ from: isoDateSchema.optional(), to: isoDateSchema.optional() }),
);
export const googleSignInBodySchema = z.object({ credential: z.string().min(20).max(8192) });

/** Header carrying `csrf_token` (from `/api/me`) on state-changing requests. */
export const CSRF_HEADER = 'X-CSRF-Token';

/**
 * Response header naming the published build a response was computed from (`none` before the
 * first publish); the dashboard uses it to keep every view on one build.
 */
export const BUILD_HEADER = 'X-Syncbalance-Build';

/**
 * A team's segment in API URLs: the whole path percent-encoded as one segment, so `/` inside it
 * becomes `%2F` (`/api/teams/Engineering%2FPlatform/weeks`).
 */
export function teamUrlSegment(teamPath: string): string {
  return encodeURIComponent(teamPath);
}

// ---- responses ----------------------------------------------------------------------------

export const ERROR_CODES = [
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'rate_limited',
  'payload_too_large',
  'unavailable',
  'internal',
] as const;
export const errorBodySchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  warehouse: z.object({ reachable: z.boolean(), schema_version: z.number().int().nullable() }),
  /** Last successful import or ingest per source (roster, slack_export, ics, demo, …). */
  sources: z.array(z.object({ source: z.string(), last_import_at: z.string() })),
  build: z.object({
    built_at: z.string().nullable(),
    models: z.number().int(),
    duration_ms: z.number(),
  }),
  latest_complete_week: isoDateSchema.nullable(),
  /** The published build this response was computed from (also the X-Syncbalance-Build header). */
  snapshot: z
    .object({
      build_id: z.string(),
      /** When its models were built and when it was published (ISO instants). */
      built_at: z.string().nullable(),
      published_at: z.string(),
    })
    .nullable(),
  /** When a running scheduler will next refresh; null when none is running or none is scheduled. */
  next_refresh_at: z.string().nullable(),
  /** Set when the data shown is older than intended: a refresh, build or publish failed since. */
  stale: z.object({ job: z.string(), failed_at: z.string(), reason: z.string() }).nullable(),
  /** The latest run of each job (refresh, its sources, build, publish, report). */
  jobs: z.array(
    z.object({
      job: z.string(),
      status: z.enum(['ok', 'failed', 'skipped', 'aborted']),
      started_at: z.string(),
      finished_at: z.string(),
      error: z.string().nullable(),
      next_run_at: z.string().nullable(),
    }),
  ),
});
export type Health = z.infer<typeof healthSchema>;

export const ROLES = ['admin', 'manager', 'none'] as const;
export const meSchema = z.object({
  auth_mode: z.enum(['none', 'google', 'proxy']),
  signed_in: z.boolean(),
  /** admin: every team; manager: teams of their reports; none: nothing shared. */
  role: z.enum(ROLES),
  visible_teams: z.array(teamPathSchema),
  /** Sent back in the X-CSRF-Token header of state-changing requests. */
  csrf_token: z.string().nullable(),
  google_client_id: z.string().nullable(),
  min_group_size: z.number().int(),
});
export type Me = z.infer<typeof meSchema>;

export const agreementsSchema = z.object({
  meeting_load_pct_max: z.number().nullable(),
  focus_hours_min: z.number().nullable(),
  response_median_working_minutes_max: z.number().nullable(),
  off_hours_share_max: z.number().nullable(),
});
export type TeamAgreements = z.infer<typeof agreementsSchema>;

export const teamSchema = z.object({
  path: teamPathSchema,
  name: z.string(),
  parent_path: teamPathSchema.nullable(),
  depth: z.number().int().min(1),
  members_now: z.number().int().min(0),
  agreements: agreementsSchema,
});
export type Team = z.infer<typeof teamSchema>;

export const teamsResponseSchema = z.object({
  teams: z.array(teamSchema),
  latest_complete_week: isoDateSchema.nullable(),
});
export type TeamsResponse = z.infer<typeof teamsResponseSchema>;

export const metricCellSchema = z.object({
  value: z.number().nullable(),
  /** Why the value is empty, e.g. "fewer than 5 active people"; null when there is a value. */
  reason: z.string().nullable(),
});
export type MetricCell = z.infer<typeof metricCellSchema>;

const metricShape = Object.fromEntries(
  TEAM_WEEK_METRICS.map((key) => [key, metricCellSchema]),
) as Record<TeamWeekMetric, typeof metricCellSchema>;
const orgShape = Object.fromEntries(
  TEAM_WEEK_METRICS.map((key) => [key, z.number().nullable()]),
) as Record<TeamWeekMetric, z.ZodNullable<z.ZodNumber>>;

export const agreementCheckSchema = z.object({
  metric: z.enum([
    'meeting_load_pct_median',
    'focus_hours_median',
    'response_median_working_minutes',
    'off_hours_share_median',
  ]),
  comparison: z.enum(['max', 'min']),
  target: z.number(),
  /** null when the metric is empty that week. */
  met: z.boolean().nullable(),
});
export type AgreementCheck = z.infer<typeof agreementCheckSchema>;

/** How many people were active, as a band of width minGroupSize: `min` ≤ active ≤ `max`. */
export const countBandSchema = z.object({ min: z.number().int(), max: z.number().int() });
export type CountBand = z.infer<typeof countBandSchema>;

/** How many of a team-week's members (roster people that week) each source covers. */
export const teamWeekCoverageSchema = z.object({
  members: z.number().int().min(0),
  /** Members whose calendar was imported for that week (inside a calendar coverage window). */
  calendar: z.number().int().min(0),
  /** Members with a matched Slack account inside a complete Slack coverage window that week. */
  slack: z.number().int().min(0),
  both: z.number().int().min(0),
  neither: z.number().int().min(0),
});
export type TeamWeekCoverage = z.infer<typeof teamWeekCoverageSchema>;

/** The marks on one team-week: what it rests on and whether it looks like a holiday. */
export const teamWeekMarksSchema = z.object({
  /** Null when the team-week is suppressed (see `coverage_reason`). */
  coverage: teamWeekCoverageSchema.nullable(),
  coverage_reason: z.string().nullable(),
  /**
   * True when the week's activity (meeting hours plus messages) is far below the team's own usual:
   * a z-score below the configured threshold against the team's other weeks (docs/metrics.md).
   * Flagged weeks stay in charts and are left out of the 4-week comparison baseline.
   */
  probable_holiday: z.boolean(),
  /** The activity z-score itself; null when suppressed or too few weeks to judge. */
  activity_z: z.number().nullable(),
});
export type TeamWeekMarks = z.infer<typeof teamWeekMarksSchema>;

export const teamWeekSchema = z.object({
  week_start: isoDateSchema,
  /** People on the team that week (the roster), active or not. */
  members: z.number().int(),
  /** Null when suppressed or withheld (see `members_active_reason`); never an exact count. */
  members_active_band: countBandSchema.nullable(),
  /** Why the band is empty; null when it is shown. */
  members_active_reason: z.string().nullable(),
  suppressed: z.boolean(),
  /** Why the whole row is empty; null when not suppressed. */
  reason: z.string().nullable(),
  metrics: z.object(metricShape),
  /** The organisation-wide value of each metric that week (the reference line). */
  org: z.object(orgShape),
  agreements: z.array(agreementCheckSchema),
  /** What the week rests on and whether it looks like a holiday. */
  marks: teamWeekMarksSchema,
});
export type TeamWeek = z.infer<typeof teamWeekSchema>;

export const teamWeeksResponseSchema = z.object({
  team: teamSchema,
  from: isoDateSchema,
  to: isoDateSchema,
  min_group_size: z.number().int(),
  weeks: z.array(teamWeekSchema),
});
export type TeamWeeksResponse = z.infer<typeof teamWeeksResponseSchema>;

/**
 * Why a team with sub-teams has no distribution: its counts minus those of its visible sub-teams
 * would show the people of a suppressed sub-team bucket by bucket.
 */
export const DISTRIBUTION_SUB_TEAMS_REASON =
  'shown for teams without sub-teams only: open a sub-team to see how its people spread';

/** Shares of a distribution are rounded to this step, so they never give the exact head count. */
export const DISTRIBUTION_SHARE_STEP = 0.05;

export const distributionResponseSchema = z.object({
  team: teamPathSchema,
  week: isoDateSchema,
  metric: z.enum(DISTRIBUTION_METRICS),
  suppressed: z.boolean(),
  reason: z.string().nullable(),
  /**
   * Empty when suppressed. Neighbouring fixed buckets are merged until each holds at least
   * minGroupSize people; `to` is null for the open-ended last bucket. `share` is the bucket's part
   * of the people counted, rounded to `DISTRIBUTION_SHARE_STEP` (docs/privacy.md).
   */
  buckets: z.array(z.object({ from: z.number(), to: z.number().nullable(), share: z.number() })),
});
export type DistributionResponse = z.infer<typeof distributionResponseSchema>;

export const overviewRowSchema = z.object({
  team: teamSchema,
  week: teamWeekSchema.nullable(),
  /** The 12 weeks ending with the selected one, oldest first (for sparklines). */
  trend: z.array(teamWeekSchema),
  /**
   * Change of each headline metric against the team's average of its 4 weeks before, leaving out
   * weeks flagged as probable holidays; null when unknown.
   */
  change_vs_previous_4_weeks: z.record(z.string(), z.number().nullable()),
  /** The weeks that baseline averaged, and the flagged weeks it skipped (for the footnote). */
  baseline_weeks: z.array(isoDateSchema),
  baseline_skipped_holidays: z.array(isoDateSchema),
});
export const overviewResponseSchema = z.object({
  week: isoDateSchema.nullable(),
  min_group_size: z.number().int(),
  rows: z.array(overviewRowSchema),
});
export type OverviewRow = z.infer<typeof overviewRowSchema>;
export type OverviewResponse = z.infer<typeof overviewResponseSchema>;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
