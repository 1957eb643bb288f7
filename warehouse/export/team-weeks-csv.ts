/**
 * The team-week CSV: a contract with everyone who loads it into a spreadsheet or a BI tool. The
 * header below never changes meaning; columns are documented in docs/metrics.md. It reads
 * `marts.team_weeks`, where every disclosure rule is already applied (docs/privacy.md): exact
 * counts of active people are never written. `members_active` keeps its place so no column moves,
 * and stays empty; the band that replaced it is the last two columns.
 *
 * RFC 4180 (CRLF line ends, quotes doubled). Hours and minutes carry 2 decimals, shares are
 * fractions with 4 decimals, empty cells are empty (suppressed rows, too few contributors). Text
 * cells starting with = + - @ (or a tab or carriage return) get a leading apostrophe, so a team
 * named "=HYPERLINK(…)" stays text in Excel, LibreOffice and Google Sheets. Numbers are formatted
 * in SQL and rows streamed chunk by chunk, so no export pulls a table into memory.
 */
import { z } from 'zod';
import type { Row, Warehouse } from '../db.ts';
import { InputError } from '../errors.ts';
import { weekStart } from '../dates.ts';

type Format = 'integer' | 'boolean' | 'date' | 'text' | 'decimal2' | 'fraction4' | 'retired';

/** The contract, in order: column name and how its cells are written. */
export const TEAM_WEEK_CSV_COLUMNS: readonly (readonly [string, Format])[] = [
  ['team', 'text'],
  ['week_start', 'date'],
  ['members', 'integer'],
  // Retired by issue 12 (an exact count let a spreadsheet subtract one person's presence).
  ['members_active', 'retired'],
  ['suppressed', 'boolean'],
  ['meeting_hours_median', 'decimal2'],
  ['meeting_hours_p25', 'decimal2'],
  ['meeting_hours_p75', 'decimal2'],
  ['meeting_load_pct_median', 'decimal2'],
  ['after_hours_meeting_hours_median', 'decimal2'],
  ['conflict_hours_median', 'decimal2'],
  ['focus_hours_median', 'decimal2'],
  ['focus_hours_p25', 'decimal2'],
  ['focus_hours_p75', 'decimal2'],
  ['fragmented_hours_median', 'decimal2'],
  ['messages_sent_median', 'decimal2'],
  ['off_hours_share_median', 'fraction4'],
  ['public_share', 'fraction4'],
  ['response_median_working_minutes', 'decimal2'],
  ['response_median_working_minutes_p25', 'decimal2'],
  ['response_median_working_minutes_p75', 'decimal2'],
  ['response_median_wall_minutes', 'decimal2'],
  ['responses_within_5min_share_median', 'fraction4'],
  ['sync_share_median', 'fraction4'],
  ['overlap_hours_all', 'decimal2'],
  ['members_active_min', 'integer'],
  ['members_active_max', 'integer'],
];

export const TEAM_WEEK_CSV_HEADER = TEAM_WEEK_CSV_COLUMNS.map(([name]) => name).join(',');

export interface TeamWeeksCsvOptions {
  /** Exactly these team paths; every team when null. */
  readonly teams: readonly string[] | null;
  /** Weeks whose Monday falls in [from's week, to's week]; open-ended when null. */
  readonly from: string | null;
  readonly to: string | null;
}

function cellSql(column: string, format: Format): string {
  const source = column === 'team' ? 'team_path' : column;
  switch (format) {
    case 'text':
      return source;
    case 'date':
      return `strftime(${source}, '%Y-%m-%d')`;
    case 'integer':
      return `coalesce(${source}::VARCHAR, '')`;
    case 'retired':
      return `''`;
    case 'boolean':
      return `CASE WHEN ${source} THEN 'true' ELSE 'false' END`;
    // Values within half a unit of the last decimal of zero are written as zero, never as "-0.00".
    case 'decimal2':
      return `CASE WHEN ${source} IS NULL THEN '' WHEN abs(${source}) < 0.005 THEN '0.00' ELSE printf('%.2f', ${source}) END`;
    case 'fraction4':
      return `CASE WHEN ${source} IS NULL THEN '' WHEN abs(${source}) < 0.00005 THEN '0.0000' ELSE printf('%.4f', ${source}) END`;
  }
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field: neutralised against formulas when it is text, quoted when it must be. */
export function csvField(value: string, isText: boolean): string {
  const safe = isText && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A team and all its descendants, as exact paths; an unknown team is an input error. */
export async function teamWithDescendants(db: Warehouse, team: string): Promise<string[]> {
  const rows = await db.parse(
    z.object({ team_path: z.string() }),
    `SELECT team_path FROM marts.teams WHERE team_path = $1 OR starts_with(team_path, $1 || '/') ORDER BY team_path`,
    [team],
  );
  if (rows.length === 0)
    throw new InputError(`unknown team '${team}' (see the teams in the dashboard or marts.teams)`);
  return rows.map((row) => row.team_path);
}

async function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!out.write(text)) {
    await new Promise<void>((resolve) => {
      out.once('drain', resolve);
    });
  }
}

/** Writes the header and one row per team-week; returns the number of rows written. */
export async function writeTeamWeeksCsv(
  db: Warehouse,
  options: TeamWeeksCsvOptions,
  out: NodeJS.WritableStream,
): Promise<number> {
  if (options.from !== null && options.to !== null && options.from > options.to) {
    throw new InputError(`--from ${options.from} is after --to ${options.to}`);
  }
  const conditions = ['true'];
  const params: Record<string, string> = {};
  if (options.teams !== null) {
    conditions.push(`list_contains(from_json($teams, '["VARCHAR"]'), team_path)`);
    params['teams'] = JSON.stringify(options.teams);
  }
  if (options.from !== null) {
    conditions.push('week_start >= $from::DATE');
    params['from'] = weekStart(options.from);
  }
  if (options.to !== null) {
    conditions.push('week_start <= $to::DATE');
    params['to'] = weekStart(options.to);
  }
  await write(out, `${TEAM_WEEK_CSV_HEADER}\r\n`);
  let rows = 0;
  for await (const chunk of db.stream(csvQuery(conditions), params)) {
    rows += chunk.length;
    await write(out, chunk.map(csvLine).join(''));
  }
  return rows;
}

function csvQuery(conditions: readonly string[]): string {
  const cells = TEAM_WEEK_CSV_COLUMNS.map(
    ([column, format]) => `${cellSql(column, format)} AS "${column}"`,
  ).join(',\n       ');
  return `SELECT ${cells}
       FROM marts.team_weeks
       WHERE ${conditions.join(' AND ')}
       ORDER BY team_path, week_start`;
}

/** Every cell is formatted to text in SQL; an empty cell is NULL only for the text columns. */
function text(value: Row[string] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** One row as written, with its CRLF. */
function csvLine(row: Row): string {
  const cells = TEAM_WEEK_CSV_COLUMNS.map(([column, format]) =>
    csvField(text(row[column]), format === 'text'),
  );
  return `${cells.join(',')}\r\n`;
}

export interface TeamWeekCsvLine {
  readonly team: string;
  readonly weekStart: string;
  /** The row exactly as `writeTeamWeeksCsv` writes it, CRLF included. */
  readonly line: string;
}

/**
 * Every week's row of these teams, by team then week, for a reader that assembles many small
 * exports from the same snapshot (the server): header + the selected lines in this order are the
 * bytes `writeTeamWeeksCsv` writes for the same teams and weeks.
 */
export async function teamWeekCsvLines(
  db: Warehouse,
  teams: readonly string[],
): Promise<TeamWeekCsvLine[]> {
  if (teams.length === 0) return [];
  const rows = await db.all(
    csvQuery([`list_contains(from_json($teams, '["VARCHAR"]'), team_path)`]),
    { teams: JSON.stringify(teams) },
  );
  return rows.map((row) => ({
    team: text(row['team']),
    weekStart: text(row['week_start']),
    line: csvLine(row),
  }));
}
