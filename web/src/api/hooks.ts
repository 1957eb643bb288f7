/** One data hook per API endpoint; each parses its response with the shared contract. */
import {
  dataHealthResponseSchema,
  distributionResponseSchema,
  healthSchema,
  meSchema,
  overviewResponseSchema,
  teamsResponseSchema,
  teamWeeksResponseSchema,
  type DataHealthResponse,
  type DistributionMetric,
  type DistributionResponse,
  type Health,
  type Me,
  type OverviewResponse,
  type TeamsResponse,
  type TeamWeeksResponse,
} from '../../../server/contract/index.ts';
import { apiPaths, getJson } from './client.ts';
import { useEffect } from 'react';
import { refreshQuery, useQuery, type QueryResult } from './query-cache.ts';

export function useMeQuery(): QueryResult<Me> {
  const path = apiPaths.me();
  return useQuery(path, (url) => getJson(url, meSchema));
}

export function useHealthQuery(): QueryResult<Health> {
  const path = apiPaths.health();
  return useQuery(path, (url) => getJson(url, healthSchema));
}

/**
 * How often an open dashboard asks whether a newer build was published. A refresh runs daily, so
 * a minute is soon enough, and a health check costs the server next to nothing.
 */
export const BUILD_CHECK_MS = 60_000;

/**
 * While mounted, checks `/api/health` every BUILD_CHECK_MS: when it answers from a newer build,
 * every view on the page asks for its data again (see query-cache.ts), so a page left open does
 * not keep showing the build before.
 */
export function useNewerBuildCheck(): void {
  useEffect(() => {
    const timer = setInterval(() => {
      refreshQuery(apiPaths.health());
    }, BUILD_CHECK_MS);
    return () => {
      clearInterval(timer);
    };
  }, []);
}

export function useTeamsQuery(): QueryResult<TeamsResponse> {
  const path = apiPaths.teams();
  return useQuery(path, (url) => getJson(url, teamsResponseSchema));
}

export function useOverviewQuery(week: string | null): QueryResult<OverviewResponse> {
  const path = week === null ? null : apiPaths.overview(week);
  return useQuery(path, (url) => getJson(url, overviewResponseSchema));
}

export function useTeamWeeksQuery(
  team: string,
  range: { from: string; to: string } | null,
): QueryResult<TeamWeeksResponse> {
  const path = range === null ? null : apiPaths.teamWeeks(team, range.from, range.to);
  return useQuery(path, (url) => getJson(url, teamWeeksResponseSchema));
}

export function useDistributionQuery(
  team: string,
  metric: DistributionMetric,
  week: string | null,
): QueryResult<DistributionResponse> {
  const path = week === null ? null : apiPaths.distribution(team, metric, week);
  return useQuery(path, (url) => getJson(url, distributionResponseSchema));
}

export function useDataHealthQuery(
  range: { from: string; to: string } | null,
): QueryResult<DataHealthResponse> {
  const path = range === null ? null : apiPaths.dataHealth(range.from, range.to);
  return useQuery(path, (url) => getJson(url, dataHealthResponseSchema));
}
