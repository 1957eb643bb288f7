import { describe, expect, it } from 'vitest';
import {
  formatLocation,
  parseLocation,
  presetRange,
  resolveFilters,
  teamPathname,
  type ViewState,
} from './url-state.ts';

describe('URL state', () => {
  it('round-trips a team page with week and range, encoding each path segment', () => {
    const state: ViewState = {
      route: { page: 'team', team: 'R&D/Platform & Tools' },
      week: '2026-11-09',
      from: '2026-08-24',
      to: '2026-11-09',
    };
    const href = formatLocation(state);
    expect(href).toBe(
      '/teams/R%26D/Platform%20%26%20Tools?week=2026-11-09&from=2026-08-24&to=2026-11-09',
    );
    const url = new URL(href, 'http://localhost');
    expect(parseLocation(url.pathname, url.search)).toEqual(state);
  });

  it('keeps a slash inside a segment apart from the path separator', () => {
    expect(teamPathname('Sales/EMEA')).toBe('/teams/Sales/EMEA');
    expect(parseLocation('/teams/Sales/EMEA/', '').route).toEqual({
      page: 'team',
      team: 'Sales/EMEA',
    });
  });

  it('reads the overview and omits parameters that are not set', () => {
    expect(parseLocation('/', '')).toEqual({
      route: { page: 'overview' },
      week: null,
      from: null,
      to: null,
    });
    expect(
      formatLocation({ route: { page: 'overview' }, week: '2026-11-09', from: null, to: null }),
    ).toBe('/?week=2026-11-09');
  });

  it('snaps dates to their Monday and ignores unreadable ones instead of failing', () => {
    const state = parseLocation('/', '?week=2026-11-12&from=2026-02-30&to=yesterday');
    expect(state.week).toBe('2026-11-09');
    expect(state.from).toBeNull();
    expect(state.to).toBeNull();
  });

  it('reads and writes the Data page with its range', () => {
    const state: ViewState = {
      route: { page: 'data' },
      week: null,
      from: '2026-08-24',
      to: '2026-11-09',
    };
    expect(formatLocation(state)).toBe('/data?from=2026-08-24&to=2026-11-09');
    expect(parseLocation('/data', '?from=2026-08-24&to=2026-11-09')).toEqual(state);
    expect(parseLocation('/data/', '').route).toEqual({ page: 'data' });
  });

  it('treats unknown paths and broken percent-encoding as not found', () => {
    expect(parseLocation('/reports', '').route).toEqual({ page: 'not-found' });
    expect(parseLocation('/teams/%E0%A4%A', '').route).toEqual({ page: 'not-found' });
    expect(parseLocation('/teams/', '').route).toEqual({ page: 'not-found' });
  });
});

describe('filter defaults', () => {
  const empty: ViewState = { route: { page: 'overview' }, week: null, from: null, to: null };

  it('defaults to the last complete week and the 12 weeks ending with it', () => {
    expect(resolveFilters(empty, '2026-11-09')).toEqual({
      week: '2026-11-09',
      from: '2026-08-24',
      to: '2026-11-09',
    });
  });

  it('ends the default range at the chosen week', () => {
    expect(resolveFilters({ ...empty, week: '2026-10-05' }, '2026-11-09')).toEqual({
      week: '2026-10-05',
      from: '2026-07-20',
      to: '2026-10-05',
    });
  });

  it('never selects a week that is not complete yet', () => {
    expect(resolveFilters({ ...empty, week: '2027-01-04' }, '2026-11-09').week).toBe('2026-11-09');
  });

  it('turns a reversed range around and shortens one the API would refuse', () => {
    expect(
      resolveFilters({ ...empty, from: '2026-11-09', to: '2026-06-01' }, '2026-11-09'),
    ).toMatchObject({
      from: '2026-06-01',
      to: '2026-11-09',
    });
    const long = resolveFilters({ ...empty, from: '2020-01-06', to: '2026-11-09' }, '2026-11-09');
    expect(long.to).toBe('2026-11-09');
    expect(Date.parse(long.to) - Date.parse(long.from)).toBeLessThanOrEqual(3 * 366 * 86_400_000);
    expect(long.from > '2023-11-01').toBe(true);
  });

  it('builds preset ranges that end with the selected week', () => {
    expect(presetRange('2026-11-09', 4)).toEqual({ from: '2026-10-19', to: '2026-11-09' });
  });
});
