/**
 * The latest week the dashboard should open on: the newest week with organisation data that has
 * fully ended (a week still in progress would show half a week's meetings as a drop).
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';

/** `lastCompleteWeek`: Monday of the last week that has ended, in the organisation's zone. */
export async function latestCompleteWeek(
  db: Warehouse,
  lastCompleteWeek: string,
): Promise<string | null> {
  const [row] = await db.parse(
    z.object({ week: z.string().nullable() }),
    'SELECT max(week_start) AS week FROM marts.org_weeks WHERE week_start <= $1::DATE',
    [lastCompleteWeek],
  );
  return row?.week ?? null;
}
