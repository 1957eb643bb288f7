/**
 * `GET /api/data-health?from&to`: what the numbers rest on (docs/api.md). Admins get the whole
 * organisation, with the organisation-wide unmatched counts and the text of source errors;
 * managers get their visible teams only, `unmatched: null`. Every count a team-week would not
 * show is null in the marts already (docs/privacy.md); `readDataHealth` is the same read that
 * `syncbalance status` prints.
 */
import type { Express } from 'express';
import { readDataHealth } from '../../warehouse/data-health.ts';
import { weekStart } from '../../warehouse/dates.ts';
import { dataHealthQuerySchema, type DataHealthResponse } from '../contract/data-health.ts';
import { signedInAccess, type AppContext } from '../context.ts';
import { parseRequest } from '../http/validate.ts';

export function registerDataHealth(app: Express, context: AppContext): void {
  app.get('/api/data-health', async (request, response) => {
    const range = parseRequest(dataHealthQuerySchema, request.query);
    const { access } = await signedInAccess(context, request);
    const admin = access.role === 'admin';
    const facts = await readDataHealth(context.db, {
      dbPath: context.dbPath,
      from: weekStart(range.from),
      to: weekStart(range.to),
      teams: admin ? null : access.teams,
      admin,
    });
    const body: DataHealthResponse = {
      scope: admin ? 'organisation' : 'teams',
      min_group_size: facts.min_group_size,
      from: range.from,
      to: range.to,
      holiday_z_threshold: facts.holiday_z_threshold,
      sources: [...facts.sources],
      teams: facts.teams.map((team) => ({ ...team, weeks: [...team.weeks] })),
      unmatched: facts.unmatched,
      build: facts.build,
      next_refresh_at: facts.next_refresh_at,
      warnings: [...facts.warnings],
    };
    response.json(body);
  });
}
