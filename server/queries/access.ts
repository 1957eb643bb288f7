/** Who may see what, from `marts.team_access` (admins come from the config, not from here). */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

const pathRow = z.object({ team_path: z.string() });

/** Teams a manager may see: those of their direct and indirect reports, with descendants. */
export async function teamPathsSharedWith(db: Warehouse, email: string): Promise<string[]> {
  const rows = await db.parse(
    pathRow,
    'SELECT team_path FROM marts.team_access WHERE viewer_email = $1 ORDER BY team_path',
    [email],
  );
  return rows.map((row) => row.team_path);
}
