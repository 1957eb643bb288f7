/** Which of the marts the API reads are missing (before the first `syncbalance build`). */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

const SERVED_MARTS = [
  'teams',
  'team_access',
  'team_weeks',
  'org_weeks',
  'person_weeks',
  'team_week_marks',
  'data_health_teams',
  'data_health_organisation',
  'data_health_sources',
];

export async function missingMarts(db: Warehouse): Promise<string[]> {
  const present = await db.parse(
    z.object({ table_name: z.string() }),
    `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts'`,
  );
  const names = new Set(present.map((row) => row.table_name));
  return SERVED_MARTS.filter((mart) => !names.has(mart)).map((mart) => `marts.${mart}`);
}
