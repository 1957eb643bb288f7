/**
 * `GET /api/teams/{path}/distribution?week&metric`: how many of the team's people fall in each
 * fixed bucket of a person-week metric. Counts only, none at all under the minimum group size, and
 * only for teams without sub-teams: a parent's counts minus those of its visible sub-teams would
 * show the buckets of the people in a suppressed sub-team, one by one.
 */
import type { Express } from 'express';
import { weekStart } from '../../warehouse/dates.ts';
import {
  DISTRIBUTION_SUB_TEAMS_REASON,
  distributionQuerySchema,
  type DistributionResponse,
} from '../contract/api.ts';
import { DISTRIBUTION_BUCKETS } from '../contract/metrics.ts';
import { signedInAccess, type AppContext } from '../context.ts';
import { parseRequest } from '../http/validate.ts';
import { assertCanViewTeam } from '../permissions.ts';
import { emptyCellReason, suppressedReason } from '../present/team-week.ts';
import { teamParam } from './params.ts';

export function registerDistribution(app: Express, context: AppContext): void {
  app.get('/api/teams/*team/distribution', async (request, response) => {
    const team = teamParam(request);
    const query = parseRequest(distributionQuerySchema, request.query);
    const { access } = await signedInAccess(context, request);
    assertCanViewTeam(access, team);
    const week = weekStart(query.week);
    const counts = await context.reads.distribution(team, week, query.metric);
    const min = context.config.minGroupSize;
    const reason = counts.hasSubTeams
      ? DISTRIBUTION_SUB_TEAMS_REASON
      : counts.teamWeek === null || counts.teamWeek.suppressed
        ? suppressedReason(min)
        : counts.contributors < min
          ? emptyCellReason(min)
          : null;
    const edges = DISTRIBUTION_BUCKETS[query.metric];
    const body: DistributionResponse = {
      team,
      week,
      metric: query.metric,
      suppressed: reason !== null,
      reason,
      contributors: reason === null ? counts.contributors : null,
      buckets:
        reason === null
          ? edges.map((from, index) => ({
              from,
              to: edges[index + 1] ?? null,
              count: counts.counts[index] ?? 0,
            }))
          : [],
    };
    response.json(body);
  });
}
