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
import {
  DISTRIBUTION_BUCKETS,
  DISTRIBUTION_METRICS,
  type DistributionMetric,
} from '../contract/metrics.ts';

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
 * The bucket of `value`: bucket i holds values in [edges[i], edges[i+1]); the first also takes
 * anything below its lower edge and the last is open-ended, so every counted person lands in
 * exactly one bucket. The index is the number of inner edges at or below the value.
 */
function bucketIndex(edges: readonly number[], value: string): string {
  const inner = edges.slice(1).map((edge) => `(${value} >= ${edge})::INTEGER`);
  return inner.length === 0 ? '0' : `(${inner.join(' + ')})`;
}

/** Every week's and metric's counts of one team, keyed by `distributionKey(week, metric)`. */
export interface TeamDistributions {
  readonly hasSubTeams: boolean;
  readonly byWeekAndMetric: ReadonlyMap<string, DistributionCounts>;
  /** The answer for a week or metric the team has no person-weeks for. */
  empty(weekStart: string, metric: DistributionMetric): DistributionCounts;
}

export function distributionKey(weekStart: string, metric: DistributionMetric): string {
  return `${weekStart} ${metric}`;
}

/**
 * All distributions of one team in one pass over its person-weeks: a row per week with, for each
 * metric, the number of people counted and their count per bucket. The server asks once per team
 * and snapshot and answers every (week, metric) of that team from memory, so a distribution
 * request is a lookup, not an aggregation per request.
 */
export async function readTeamDistributions(
  db: Warehouse,
  team: string,
): Promise<TeamDistributions> {
  const teamWeeks = await db.parse(
    z.object({ week_start: z.string(), suppressed: z.boolean() }),
    `SELECT week_start, suppressed FROM marts.team_weeks WHERE team_path = $team`,
    { team },
  );
  const [tree] = await db.parse(
    z.object({ has_sub_teams: z.boolean() }),
    `SELECT EXISTS (SELECT 1 FROM marts.teams WHERE parent_path = $team) AS has_sub_teams`,
    { team },
  );
  // One SELECT per metric placing each counted person-week in its bucket, then one count per
  // (week, metric, bucket): a FILTER per bucket instead costs a pass per bucket (70 of them).
  // `metric` is one of the registry's keys, so it is safe as a column name.
  const placed = DISTRIBUTION_METRICS.map((metric) => {
    const where = [
      'team_path = $team',
      'is_active',
      `${metric} IS NOT NULL`,
      ...(RESPONSE_METRICS.has(metric) ? [`responses >= ${MIN_RESPONSES}`] : []),
    ].join(' AND ');
    return `SELECT week_start, '${metric}' AS metric, ${bucketIndex(DISTRIBUTION_BUCKETS[metric], `${metric}::DOUBLE`)} AS bucket
       FROM marts.person_weeks WHERE ${where}`;
  });
  const rows = await db.parse(
    z.object({
      week_start: z.string(),
      metric: z.enum(DISTRIBUTION_METRICS),
      bucket: z.number().int(),
      people: z.number().int(),
    }),
    `SELECT week_start, metric, bucket, count(*)::INTEGER AS people
     FROM (${placed.join('\n       UNION ALL ')})
     GROUP BY week_start, metric, bucket`,
    { team },
  );
  const hasSubTeams = tree?.has_sub_teams ?? false;
  const suppressedByWeek = new Map(teamWeeks.map((row) => [row.week_start, row.suppressed]));
  const teamWeek = (weekStart: string): DistributionCounts['teamWeek'] => {
    const suppressed = suppressedByWeek.get(weekStart);
    return suppressed === undefined ? null : { suppressed };
  };
  const byWeekAndMetric = new Map<string, DistributionCounts>();
  for (const row of rows) {
    const key = distributionKey(row.week_start, row.metric);
    const known = byWeekAndMetric.get(key) ?? {
      hasSubTeams,
      teamWeek: teamWeek(row.week_start),
      contributors: 0,
      counts: DISTRIBUTION_BUCKETS[row.metric].map(() => 0),
    };
    const counts = [...known.counts];
    counts[row.bucket] = (counts[row.bucket] ?? 0) + row.people;
    byWeekAndMetric.set(key, { ...known, contributors: known.contributors + row.people, counts });
  }
  return {
    hasSubTeams,
    byWeekAndMetric,
    empty: (weekStart, metric) => ({
      hasSubTeams,
      teamWeek: teamWeek(weekStart),
      contributors: 0,
      counts: DISTRIBUTION_BUCKETS[metric].map(() => 0),
    }),
  };
}
