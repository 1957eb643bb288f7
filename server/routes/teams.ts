/** `GET /api/teams`: the teams the viewer may see, with sizes and working agreements. */
import type { Express } from 'express';
import type { TeamsResponse } from '../contract/api.ts';
import { latestWeek, signedInAccess, type AppContext } from '../context.ts';
import { presentTeam } from '../present/team.ts';

export function registerTeams(app: Express, context: AppContext): void {
  app.get('/api/teams', async (request, response) => {
    const { access } = await signedInAccess(context, request);
    const rows = (await context.reads.teams()).filter((row) => access.visible.has(row.team_path));
    const body: TeamsResponse = {
      teams: rows.map((row) => presentTeam(row, context.config, access.visible)),
      latest_complete_week: await latestWeek(context),
    };
    response.json(body);
  });
}
