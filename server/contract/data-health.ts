/**
 * What the numbers rest on (issue 15): the Data page's response, and the per-week marks the team
 * page and the overview draw. Pure zod, shared by server/ and web/ like api.ts.
 *
 * Privacy: counts here are of roster people per source (who has a calendar, who has a matched
 * Slack account), never names or identifiers, and a team-week's counts are shown only when that
 * team-week is shown at all (not suppressed), so "5 of 6 have calendars" cannot point at the one
 * without. Organisation-wide counts of unmatched accounts are for admins only.
 */
import { z } from 'zod';
import { dateRangeSchema, isoDateSchema, teamPathSchema, teamWeekMarksSchema } from './api.ts';

export const DATA_SOURCE_KINDS = ['roster', 'calendar', 'slack', 'demo'] as const;

export const dataSourceHealthSchema = z.object({
  kind: z.enum(DATA_SOURCE_KINDS),
  /** Stable name: 'roster', 'google_calendar', 'ics', 'slack_api', 'slack_export', 'demo'. */
  source: z.string(),
  /** What to call it on the page ("Google Calendar (service account)"). */
  label: z.string(),
  last_success_at: z.string().nullable(),
  /** The period its data covers (first and last day), null when unknown or none. */
  covers_from: isoDateSchema.nullable(),
  covers_to: isoDateSchema.nullable(),
  /** The latest failure after the last success; null when the last run succeeded. */
  last_error: z.object({ at: z.string(), message: z.string() }).nullable(),
  /** When the scheduler will next run it; null when not scheduled. */
  next_run_at: z.string().nullable(),
});
export type DataSourceHealth = z.infer<typeof dataSourceHealthSchema>;

export const teamDataWeekSchema = z.object({
  week_start: isoDateSchema,
  suppressed: z.boolean(),
  reason: z.string().nullable(),
  marks: teamWeekMarksSchema,
});
export type TeamDataWeek = z.infer<typeof teamDataWeekSchema>;

export const teamDataHealthSchema = z.object({
  team: teamPathSchema,
  name: z.string(),
  members_now: z.number().int().min(0),
  /**
   * Roster people on the team now without a matched Slack account / without any imported
   * calendar. Null (with `gaps_reason`) when the team would not be shown at all.
   */
  without_slack: z.number().int().min(0).nullable(),
  without_calendar: z.number().int().min(0).nullable(),
  gaps_reason: z.string().nullable(),
  weeks: z.array(teamDataWeekSchema),
});
export type TeamDataHealth = z.infer<typeof teamDataHealthSchema>;

export const dataHealthQuerySchema = dateRangeSchema;

export const dataHealthResponseSchema = z.object({
  /** admins see the organisation; managers their visible teams. */
  scope: z.enum(['organisation', 'teams']),
  min_group_size: z.number().int(),
  from: isoDateSchema,
  to: isoDateSchema,
  /** The z-score below which a team-week is flagged as a probable holiday (config). */
  holiday_z_threshold: z.number(),
  sources: z.array(dataSourceHealthSchema),
  teams: z.array(teamDataHealthSchema),
  /** Organisation-wide, admins only (null for managers). */
  unmatched: z
    .object({
      /** Slack accounts (humans, not bots) that match no roster person. */
      slack_accounts: z.number().int().min(0),
      /** Calendar owners that match no roster person. */
      calendar_owners: z.number().int().min(0),
      /** Share of current roster people with a matched Slack account / an imported calendar. */
      roster_with_slack_share: z.number().min(0).max(1).nullable(),
      roster_with_calendar_share: z.number().min(0).max(1).nullable(),
    })
    .nullable(),
  /** The build and published snapshot this response was computed from. */
  build: z
    .object({ build_id: z.string(), built_at: z.string().nullable(), published_at: z.string() })
    .nullable(),
  next_refresh_at: z.string().nullable(),
  /** Human-readable warnings, the same as `syncbalance status` prints. */
  warnings: z.array(z.string()),
});
export type DataHealthResponse = z.infer<typeof dataHealthResponseSchema>;
