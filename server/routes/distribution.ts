/**
 * `GET /api/teams/{path}/distribution?week&metric`: how the team's people spread over the buckets
 * of a person-week metric, as rounded shares of merged buckets of at least minGroupSize people each
 * (`present/distribution.ts`), nothing under the minimum group size, and only for teams without
 * sub-teams: a parent's counts minus those of its visible sub-teams would show the buckets of the
 * people in a suppressed sub-team, one by one.
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
import { cachedJson, sendCached } from '../http/cached.ts';
import { parseRequest } from '../http/validate.ts';
import { assertCanViewTeam } from '../permissions.ts';
import { publishableBuckets, roundedShare } from '../present/distribution.ts';
import { emptyCellReason, suppressedReason } from '../present/team-week.ts';
import { teamParam } from './params.ts';

export function distributionTooFewReason(minGroupSize: number): string {
  return `shown only when the people spread over at least two ranges of ${minGroupSize} or more people each`;
}

export function registerDistribution(app: Express, context: AppContext): void {
  app.get('/api/teams/*team/distribution', async (request, response) => {
    const team = teamParam(request);
    const query = parseRequest(distributionQuerySchema, request.query);
    const { access } = await signedInAccess(context, request);
    assertCanViewTeam(access, team);
    const week = weekStart(query.week);
    // Nothing in the body depends on the viewer once they may see the team.
    const cacheKey = `distribution ${JSON.stringify([team, week, query.metric])}`;
    const body = await context.reads.responseBody(cacheKey, async () => {
      const counts = await context.reads.distribution(team, week, query.metric);
      const min = context.config.minGroupSize;
      const buckets = publishableBuckets(DISTRIBUTION_BUCKETS[query.metric], counts.counts, min);
      const reason = counts.hasSubTeams
        ? DISTRIBUTION_SUB_TEAMS_REASON
        : counts.teamWeek === null || counts.teamWeek.suppressed
          ? suppressedReason(min)
          : counts.contributors < min
            ? emptyCellReason(min)
            : buckets === null
              ? distributionTooFewReason(min)
              : null;
      const answer: DistributionResponse = {
        team,
        week,
        metric: query.metric,
        suppressed: reason !== null,
        reason,
        buckets:
          reason === null && buckets !== null
            ? buckets.map((bucket) => ({
                from: bucket.from,
                to: bucket.to,
                share: roundedShare(bucket.count, counts.contributors),
              }))
            : [],
      };
      return cachedJson(answer);
    });
    await sendCached(request, response, body);
  });
}
