/**
 * `GET /api/overview?week`: one row per visible team for the weekly review: the selected week
 * (default: the latest complete one), the 12 weeks ending with it, and how far each headline
 * metric moved against the average of the 4 unflagged weeks before it (probable holidays skipped).
 */
import type { Express } from 'express';
import { addDays, weekStart } from '../../warehouse/dates.ts';
import {
  overviewQuerySchema,
  type OverviewResponse,
  type OverviewRow,
  type TeamWeek,
} from '../contract/api.ts';
import { HEADLINE_METRICS } from '../contract/metrics.ts';
import { latestWeek, signedInAccess, type AppContext } from '../context.ts';
import { cachedJsonText, sendCached, visibleTeamsKey } from '../http/cached.ts';
import { parseRequest } from '../http/validate.ts';
import { presentTeam } from '../present/team.ts';
import { jsonWithArray, presentedTeamWeek, type PresentedTeamWeek } from '../present/team-week.ts';

const TREND_WEEKS = 12;
const BASELINE_WEEKS = 4;

/** The weeks a change is measured against, and the flagged weeks passed over to find them. */
export interface Baseline {
  readonly weeks: readonly string[];
  readonly skippedHolidays: readonly string[];
}

/**
 * The `BASELINE_WEEKS` most recent weeks before `selected` that are not flagged as probable
 * holidays (docs/metrics.md, Change against the previous 4 weeks), within the weeks read (from
 * `earliest`, by default the start of the 12-week trend the overview and the report read): going
 * back week by week from the one before, a flagged week is skipped and the next earlier one
 * taken instead. A week without a row is taken (and makes the change unknown), as before flags.
 */
export function baselineOf(
  weeks: readonly TeamWeek[],
  selected: string,
  earliest: string = addDays(selected, -7 * (TREND_WEEKS - 1)),
): Baseline {
  const byWeek = new Map(weeks.map((week) => [week.week_start, week]));
  const taken: string[] = [];
  const skipped: string[] = [];
  for (let back = 1; taken.length < BASELINE_WEEKS; back += 1) {
    const monday = addDays(selected, -7 * back);
    // Before the weeks read, nothing is known: such a week is taken, and the change is unknown.
    if (monday >= earliest && byWeek.get(monday)?.marks.probable_holiday === true)
      skipped.push(monday);
    else taken.push(monday);
  }
  return { weeks: taken, skippedHolidays: skipped };
}

/**
 * Selected value minus the mean of the baseline weeks (`baselineOf`), in the metric's own unit
 * (hours, minutes, percentage points, share). Unknown (null) unless the selected week and all of
 * the baseline weeks have a value: a baseline of one or two weeks would make noise look like change.
 */
export function changeVsBaseline(
  weeks: readonly TeamWeek[],
  selected: string,
): Record<string, number | null> {
  const byWeek = new Map(weeks.map((week) => [week.week_start, week]));
  const baseline = baselineOf(weeks, selected).weeks.map((monday) => byWeek.get(monday));
  const current = byWeek.get(selected);
  return Object.fromEntries(
    HEADLINE_METRICS.map((metric) => {
      const now = current?.metrics[metric].value ?? null;
      const before = baseline.map((week) => week?.metrics[metric].value ?? null);
      if (now === null || before.some((value) => value === null)) return [metric, null];
      const mean = before.reduce<number>((sum, value) => sum + (value ?? 0), 0) / before.length;
      return [metric, now - mean];
    }),
  );
}

export function registerOverview(app: Express, context: AppContext): void {
  app.get('/api/overview', async (request, response) => {
    const query = parseRequest(overviewQuerySchema, request.query);
    const { access } = await signedInAccess(context, request);
    const week = query.week === undefined ? await latestWeek(context) : weekStart(query.week);
    const cacheKey = `overview ${week ?? '-'} ${visibleTeamsKey(access)}`;
    const body = await context.reads.responseBody(cacheKey, async () => {
      const teams = (await context.reads.teams())
        .filter((row) => access.visible.has(row.team_path))
        .map((row) => presentTeam(row, context.config, access.visible));
      const min = context.config.minGroupSize;
      const rows =
        week === null
          ? []
          : await context.reads.teamWeeks(
              teams.map((team) => team.path),
              addDays(week, -7 * (TREND_WEEKS - 1)),
              week,
            );
      const agreements = new Map(teams.map((team) => [team.path, team.agreements]));
      const weeksByTeam = new Map<string, PresentedTeamWeek[]>();
      for (const row of rows) {
        const teamAgreements = agreements.get(row.team);
        if (teamAgreements === undefined) continue;
        const teamWeeks = weeksByTeam.get(row.team) ?? [];
        teamWeeks.push(presentedTeamWeek(row, teamAgreements, min));
        weeksByTeam.set(row.team, teamWeeks);
      }
      // Each team-week's JSON is written once per snapshot (`presentedTeamWeek`); a row's JSON is
      // assembled around those texts, in the order of the contract's fields.
      const rowsJson = teams.map((team) => {
        const presentedTrend = weeksByTeam.get(team.path) ?? [];
        const trend: TeamWeek[] = presentedTrend.map((entry) => entry.week);
        const baseline = week === null ? null : baselineOf(trend, week);
        const selected = presentedTrend.find((entry) => entry.week.week_start === week);
        const rest: Omit<OverviewRow, 'team' | 'week' | 'trend'> = {
          change_vs_previous_4_weeks:
            week === null
              ? Object.fromEntries(HEADLINE_METRICS.map((metric) => [metric, null]))
              : changeVsBaseline(trend, week),
          baseline_weeks: baseline === null ? [] : [...baseline.weeks].sort(),
          baseline_skipped_holidays: baseline === null ? [] : [...baseline.skippedHolidays].sort(),
        };
        return `{"team":${JSON.stringify(team)},"week":${selected?.json ?? 'null'},"trend":[${presentedTrend
          .map((entry) => entry.json)
          .join(',')}],${JSON.stringify(rest).slice(1)}`;
      });
      const head: Omit<OverviewResponse, 'rows'> = { week, min_group_size: min };
      const json = jsonWithArray(head, 'rows', rowsJson);
      return cachedJsonText(json);
    });
    await sendCached(request, response, body);
  });
}
