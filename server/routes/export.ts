/**
 * `GET /api/export.csv?team&from&to`: exactly the bytes of `syncbalance export csv` for the teams
 * the viewer may see (the requested team's subtree, or all of them), as an attachment: assembled
 * from rows kept in memory when small, streamed from the snapshot otherwise.
 */
import type { Express } from 'express';
import { weekStart } from '../../warehouse/dates.ts';
import { TEAM_WEEK_CSV_HEADER, writeTeamWeeksCsv } from '../../warehouse/export/team-weeks-csv.ts';
import { CSV_CONTENT_TYPE, exportQuerySchema } from '../contract/api.ts';
import { signedInAccess, type AppContext } from '../context.ts';
import { ApiError } from '../http/errors.ts';
import { parseRequest } from '../http/validate.ts';
import { assertCanViewTeam, visibleSubtree } from '../permissions.ts';

/**
 * An export of at most this many team-weeks (about 300 bytes each) is assembled from the rows the
 * server keeps per team and snapshot (`reads.csvLines`), so asking again costs no query; a larger
 * one (a whole organisation's history) is streamed from the snapshot, never held in memory.
 */
const MAX_ASSEMBLED_ROWS = 5_000;
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

function exportFileName(team: string | undefined, from?: string, to?: string): string {
  const parts = ['syncbalance-team-weeks'];
  if (team !== undefined) parts.push(team.replace(/[^\p{L}\p{N}._-]+/gu, '-'));
  if (from !== undefined) parts.push(`from-${from}`);
  if (to !== undefined) parts.push(`to-${to}`);
  return `${parts.join('_')}.csv`;
}

export function registerExport(app: Express, context: AppContext): void {
  app.get('/api/export.csv', async (request, response) => {
    const query = parseRequest(exportQuerySchema, request.query);
    if (query.from !== undefined && query.to !== undefined && query.from > query.to)
      throw new ApiError('bad_request', 'from: from must not be after to');
    const { access } = await signedInAccess(context, request);
    let teams: readonly string[] | null;
    if (query.team !== undefined) {
      assertCanViewTeam(access, query.team);
      teams = visibleSubtree(access, query.team);
    } else {
      // Admins get every team, exactly as the CLI exports them.
      teams = access.role === 'admin' ? null : access.teams;
    }
    response.setHeader('Content-Type', CSV_CONTENT_TYPE);
    response.attachment(exportFileName(query.team, query.from, query.to));
    const from = query.from ?? null;
    const to = query.to ?? null;
    if (from !== null && to !== null) {
      const selected = teams ?? (await context.reads.allTeamPaths());
      const weeks = (Date.parse(weekStart(to)) - Date.parse(weekStart(from))) / WEEK_MS + 1;
      if (selected.length * weeks <= MAX_ASSEMBLED_ROWS) {
        const [first, last] = [weekStart(from), weekStart(to)];
        const lines = (await context.reads.csvLines(selected))
          .filter((line) => line.weekStart >= first && line.weekStart <= last)
          .map((line) => line.line);
        response.send(`${TEAM_WEEK_CSV_HEADER}\r\n${lines.join('')}`);
        return;
      }
    }
    const writing = writeTeamWeeksCsv(context.db, { teams, from, to }, response);
    // A client that goes away mid-download never drains the stream; stop waiting for it.
    const abandoned = new Promise<void>((resolve) => response.once('close', resolve));
    writing.catch(() => undefined);
    await Promise.race([writing, abandoned]);
    if (!response.writableEnded) response.end();
  });
}
