/**
 * `GET /api/overview?week`: one row per visible team for the weekly review: the selected week
 * (default: the latest complete one), the 12 weeks ending with it, and how far each headline
 * metric moved against the average of the 4 weeks before it.
 */
import type { Express } from 'express';
import { addDays, weekStart } from '../../warehouse/dates.ts';
import { overviewQuerySchema, type OverviewResponse, type TeamWeek } from '../contract/api.ts';
import { HEADLINE_METRICS } from '../contract/metrics.ts';
import { latestWeek, signedInAccess, type AppContext } from '../context.ts';
import { cachedJson, sendCached, visibleTeamsKey } from '../http/cached.ts';
import { parseRequest } from '../http/validate.ts';
import { presentTeam } from '../present/team.ts';
import { presentTeamWeek } from '../present/team-week.ts';

const TREND_WEEKS = 12;
const BASELINE_WEEKS = 4;

/**
 * Selected value minus the mean of the `BASELINE_WEEKS` weeks before it, in the metric's own unit
 * (hours, minutes, percentage points, share). Unknown (null) unless the selected week and all of
 * the baseline weeks have a value: a baseline of one or two weeks would make noise look like change.
 */
export function changeVsBaseline(
  weeks: readonly TeamWeek[],
  selected: string,
): Record<string, number | null> {
  const byWeek = new Map(weeks.map((week) => [week.week_start, week]));
  const baseline = Array.from({ length: BASELINE_WEEKS }, (_, index) =>
    byWeek.get(addDays(selected, -7 * (index + 1))),
  );
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
    const known = context.reads.response(cacheKey);
    if (known !== undefined) {
      sendCached(request, response, known);
      return;
    }
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
    const weeksByTeam = new Map<string, TeamWeek[]>();
    for (const row of rows) {
      const teamAgreements = agreements.get(row.team);
      if (teamAgreements === undefined) continue;
      const teamWeeks = weeksByTeam.get(row.team) ?? [];
      teamWeeks.push(presentTeamWeek(row, teamAgreements, min));
      weeksByTeam.set(row.team, teamWeeks);
    }
    const body: OverviewResponse = {
      week,
      min_group_size: min,
      rows: teams.map((team) => {
        const trend = weeksByTeam.get(team.path) ?? [];
        return {
          team,
          week: trend.find((entry) => entry.week_start === week) ?? null,
          trend,
          change_vs_previous_4_weeks:
            week === null
              ? Object.fromEntries(HEADLINE_METRICS.map((metric) => [metric, null]))
              : changeVsBaseline(trend, week),
        };
      }),
    };
    sendCached(request, response, context.reads.rememberResponse(cacheKey, await cachedJson(body)));
  });
}
