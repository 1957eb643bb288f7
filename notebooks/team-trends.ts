/**
 * A team's weekly trend next to the organisation's: the numbers behind the dashboard's team page,
 * as a table in the terminal. `npx node notebooks/team-trends.ts TEAM [--db FILE]`.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Warehouse } from '../warehouse/db.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: 'string', default: process.env['SYNCBALANCE_DB'] ?? 'data/syncbalance.duckdb' },
  },
});
const team = positionals[0];
if (team === undefined) {
  process.stderr.write('usage: npx node notebooks/team-trends.ts TEAM [--db FILE]\n');
  process.exit(2);
}

const db = await Warehouse.open(values.db, { readOnly: true });
const rows = await db.parse(
  z.object({
    week: z.string(),
    active: z.string().nullable(),
    meeting_load: z.number().nullable(),
    org_meeting_load: z.number().nullable(),
    focus: z.number().nullable(),
    org_focus: z.number().nullable(),
    response_minutes: z.number().nullable(),
    off_hours: z.number().nullable(),
  }),
  `SELECT strftime(t.week_start, '%Y-%m-%d') AS week, t.members_active_min || '–' || t.members_active_max AS active,
          round(t.meeting_load_pct_median, 1) AS meeting_load, round(o.meeting_load_pct_median, 1) AS org_meeting_load,
          round(t.focus_hours_median, 1) AS focus, round(o.focus_hours_median, 1) AS org_focus,
          round(t.response_median_working_minutes, 0) AS response_minutes, round(t.off_hours_share_median, 3) AS off_hours
   FROM marts.team_weeks AS t JOIN marts.org_weeks AS o USING (week_start)
   WHERE t.team_path = $1 ORDER BY t.week_start`,
  [team],
);
db.close();
console.table(rows);
