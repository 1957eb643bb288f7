/**
 * How a team's people spread over the fixed buckets of one person-week metric. Only counts leave
 * this query, no person's value or id, and the route publishes them only merged and as rounded
 * shares (`present/distribution.ts`). Counted are the team's active members that week whose value
 * is defined; for the response-time metrics only people with at least `MIN_RESPONSES` responses
 * that week, since a median of one or two replies says more about those replies than about the
 * person's week. Distributions exist for teams without sub-teams only (see the route).
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { DISTRIBUTION_BUCKETS, type DistributionMetric } from '../contract/metrics.ts';

const MIN_RESPONSES = 3;

const RESPONSE_METRICS: ReadonlySet<DistributionMetric> = new Set([
  'response_median_working_minutes',
  'response_median_wall_minutes',
]);

export interface DistributionCounts {
  /** The team has sub-teams: no distribution is shown (subtracting teams' counts could expose one). */
  readonly hasSubTeams: boolean;
  /** The team-week row's state; null when the team has no row that week. */
  readonly teamWeek: { readonly suppressed: boolean } | null;
  readonly contributors: number;
  /** One count per bucket of `DISTRIBUTION_BUCKETS[metric]`. */
  readonly counts: number[];
}

/**
 * Bucket i holds values in [edges[i], edges[i+1]); the first also takes anything below its lower
 * edge and the last is open-ended, so every counted person lands in exactly one bucket.
 */
function bucketFilters(edges: readonly number[]): string[] {
  return edges.map((_edge, index) => {
    const upper = edges[index + 1];
    const lower = index === 0 ? null : edges[index];
    const conditions = [
      ...(lower === null || lower === undefined ? [] : [`value >= ${lower}`]),
      ...(upper === undefined ? [] : [`value < ${upper}`]),
    ];
    return `count(*) FILTER (WHERE ${conditions.length > 0 ? conditions.join(' AND ') : 'true'})::INTEGER`;
  });
}

export async function readDistribution(
  db: Warehouse,
  team: string,
  weekStart: string,
  metric: DistributionMetric,
): Promise<DistributionCounts> {
  const edges = DISTRIBUTION_BUCKETS[metric];
  const [teamWeek] = await db.parse(
    z.object({ suppressed: z.boolean() }),
    `SELECT suppressed FROM marts.team_weeks
     WHERE team_path = $team AND week_start = $week::DATE`,
    { team, week: weekStart },
  );
  const [tree] = await db.parse(
    z.object({ has_sub_teams: z.boolean() }),
    `SELECT EXISTS (SELECT 1 FROM marts.teams WHERE parent_path = $team) AS has_sub_teams`,
    { team },
  );
  // `metric` is one of the registry's keys (validated), so it is safe as a column name.
  const [row] = await db.parse(
    z.object({ contributors: z.number().int(), counts: z.array(z.number().int()) }),
    `WITH counted AS (
       SELECT ${metric}::DOUBLE AS value
       FROM marts.person_weeks
       WHERE week_start = $week::DATE
         AND team_path = $team
         AND is_active AND ${metric} IS NOT NULL
         ${RESPONSE_METRICS.has(metric) ? `AND responses >= ${MIN_RESPONSES}` : ''}
     )
     SELECT count(*)::INTEGER AS contributors, [${bucketFilters(edges).join(', ')}] AS counts
     FROM counted`,
    { team, week: weekStart },
  );
  return {
    hasSubTeams: tree?.has_sub_teams ?? false,
    teamWeek: teamWeek === undefined ? null : { suppressed: teamWeek.suppressed },
    contributors: row?.contributors ?? 0,
    counts: row?.counts ?? edges.map(() => 0),
  };
}
