/** The team tree (`marts.teams`): names, parents and sizes of every team. */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

const teamRowSchema = z.object({
  team_path: z.string(),
  parent_path: z.string().nullable(),
  team_name: z.string(),
  depth: z.number().int(),
  members_now: z.number().int(),
});
export type TeamRow = z.infer<typeof teamRowSchema>;

export async function listTeams(db: Warehouse): Promise<TeamRow[]> {
  return db.parse(
    teamRowSchema,
    `SELECT team_path, parent_path, team_name, depth::INTEGER AS depth, members_now::INTEGER AS members_now
     FROM marts.teams ORDER BY team_path`,
  );
}
