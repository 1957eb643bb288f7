/**
 * `GET /api/teams/{path}/weeks?from&to`: the team's weeks whose Monday falls in [the week of
 * `from`, the week of `to`], each with the organisation's value of every metric that week.
 */
import type { Express } from 'express';
import { weekStart } from '../../warehouse/dates.ts';
import { teamWeeksQuerySchema, type TeamWeeksResponse } from '../contract/api.ts';
import { signedInAccess, type AppContext } from '../context.ts';
import { teamNotFound } from '../http/errors.ts';
import { cachedJsonText, sendCached } from '../http/cached.ts';
import { parseRequest } from '../http/validate.ts';
import { assertCanViewTeam } from '../permissions.ts';
import { presentTeam } from '../present/team.ts';
import { jsonWithArray, presentedTeamWeek } from '../present/team-week.ts';
import { teamParam } from './params.ts';

export function registerTeamWeeks(app: Express, context: AppContext): void {
  app.get('/api/teams/*team/weeks', async (request, response) => {
    const team = teamParam(request);
    const range = parseRequest(teamWeeksQuerySchema, request.query);
    const { access } = await signedInAccess(context, request);
    assertCanViewTeam(access, team);
    const row = await context.reads.team(team);
    if (row === null) throw teamNotFound();
    const presented = presentTeam(row, context.config, access.visible);
    // The body depends on the viewer only through whether they see the parent (`parent_path`).
    const cacheKey = `weeks ${JSON.stringify([team, range.from, range.to, presented.parent_path])}`;
    const body = await context.reads.responseBody(cacheKey, async () => {
      const weeks = await context.reads.teamWeeks(
        [team],
        weekStart(range.from),
        weekStart(range.to),
      );
      const head: Omit<TeamWeeksResponse, 'weeks'> = {
        team: presented,
        from: range.from,
        to: range.to,
        min_group_size: context.config.minGroupSize,
      };
      const items = weeks.map(
        (week) => presentedTeamWeek(week, presented.agreements, context.config.minGroupSize).json,
      );
      return cachedJsonText(jsonWithArray(head, 'weeks', items));
    });
    await sendCached(request, response, body);
  });
}
