/**
 * The dashboard's global filter state (page, team, week, date range) lives in the URL, so a copied
 * link opens the same view. This module only converts between URLs and that state; the router
 * (router.ts) watches the address bar and `useViewState` fills in defaults.
 *
 * URLs:  /                          the overview
 *        /teams/Engineering/Platform the team page (each segment percent-encoded)
 *        /data                      what the numbers rest on (sources, coverage, gaps)
 * Query: week=YYYY-MM-DD (a Monday), from=YYYY-MM-DD, to=YYYY-MM-DD (Mondays of the first and last
 *        week of the range, both included). Anything unreadable is ignored and replaced by the
 *        default, so a mangled link still opens something sensible.
 */
import { isoDateSchema, MAX_RANGE_DAYS, teamPathSchema } from '../../../server/contract/index.ts';
import { addWeeks, daysBetween, mondayOf } from '../lib/dates.ts';

export type Route =
  | { readonly page: 'overview' }
  | { readonly page: 'team'; readonly team: string }
  | { readonly page: 'data' }
  | { readonly page: 'not-found' };

export interface ViewState {
  readonly route: Route;
  readonly week: string | null;
  readonly from: string | null;
  readonly to: string | null;
}

/** The week, range and page once every default is applied. */
export interface ResolvedFilters {
  readonly week: string;
  readonly from: string;
  readonly to: string;
}

/** The team page's default range: a quarter, the span of the overview's sparklines. */
export const DEFAULT_RANGE_WEEKS = 12;
export const RANGE_PRESETS_WEEKS = [4, 12, 26, 52] as const;

const TEAM_PREFIX = '/teams/';
const DATA_PATH = '/data';

function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'overview' };
  if (pathname === DATA_PATH || pathname === `${DATA_PATH}/`) return { page: 'data' };
  if (!pathname.startsWith(TEAM_PREFIX)) return { page: 'not-found' };
  let team: string;
  try {
    team = pathname
      .slice(TEAM_PREFIX.length)
      .replace(/\/+$/, '')
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return { page: 'not-found' };
  }
  return teamPathSchema.safeParse(team).success ? { page: 'team', team } : { page: 'not-found' };
}

function parseMonday(value: string | null): string | null {
  if (value === null) return null;
  return isoDateSchema.safeParse(value).success ? mondayOf(value) : null;
}

export function parseLocation(pathname: string, search: string): ViewState {
  const params = new URLSearchParams(search);
  return {
    route: parseRoute(pathname),
    week: parseMonday(params.get('week')),
    from: parseMonday(params.get('from')),
    to: parseMonday(params.get('to')),
  };
}

export function teamPathname(team: string): string {
  return TEAM_PREFIX + team.split('/').map(encodeURIComponent).join('/');
}

export function formatLocation(state: ViewState): string {
  const pathname =
    state.route.page === 'team'
      ? teamPathname(state.route.team)
      : state.route.page === 'data'
        ? DATA_PATH
        : '/';
  const params = new URLSearchParams();
  if (state.week !== null) params.set('week', state.week);
  if (state.from !== null) params.set('from', state.from);
  if (state.to !== null) params.set('to', state.to);
  const query = params.toString();
  return query === '' ? pathname : `${pathname}?${query}`;
}

/**
 * Applies the defaults: the week is the one asked for (never later than the last complete week,
 * which has no data yet), the range ends with that week and spans DEFAULT_RANGE_WEEKS, a reversed
 * range is turned around and an over-long one is shortened to what the API accepts.
 */
export function resolveFilters(state: ViewState, latestCompleteWeek: string): ResolvedFilters {
  const latest = mondayOf(latestCompleteWeek);
  const week = state.week !== null && state.week <= latest ? state.week : latest;
  let to = state.to ?? week;
  let from = state.from ?? addWeeks(to, -(DEFAULT_RANGE_WEEKS - 1));
  if (from > to) [from, to] = [to, from];
  const longestSpanWeeks = Math.floor(MAX_RANGE_DAYS / 7) - 1;
  if (daysBetween(from, to) > longestSpanWeeks * 7) from = addWeeks(to, -longestSpanWeeks);
  return { week, from, to };
}

/** The range of the last `weeks` weeks ending with `week`. */
export function presetRange(week: string, weeks: number): { from: string; to: string } {
  return { from: addWeeks(week, -(weeks - 1)), to: week };
}
