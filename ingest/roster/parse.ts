/**
 * Parses and validates a roster CSV. Every problem in the file is collected (with its line and
 * column) before anything is imported, so one run tells the user everything to fix.
 */
import { parse } from 'csv-parse/sync';
import type { CsvError } from 'csv-parse';
import type { Problem } from '../../warehouse/errors.ts';
import { normaliseEmail } from '../../warehouse/identity.ts';
import { teamPathProblem } from '../../warehouse/team-path.ts';
import type { RosterEntry } from '../../warehouse/raw/roster.ts';
import { isTimeZone, parseClockTime, parseWorkDays } from '../../warehouse/schedule.ts';

export const ROSTER_COLUMNS = [
  'email',
  'name',
  'team',
  'manager_email',
  'timezone',
  'work_days',
  'work_start',
  'work_end',
  'slack_user_id',
] as const;
type RosterColumn = (typeof ROSTER_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly RosterColumn[] = ['email', 'team'];

export interface RosterParseResult {
  readonly entries: RosterEntry[];
  readonly problems: Problem[];
  readonly warnings: Problem[];
}

const EMAIL = /^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$/;
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

interface ParsedRecord {
  record: string[];
  info: { lines: number };
  raw: string;
}

function isRosterColumn(name: string): name is RosterColumn {
  return (ROSTER_COLUMNS as readonly string[]).includes(name);
}

/** A value for a message: control characters shown as \u escapes, long values cut short. */
function quoted(text: string): string {
  const visible = text.replace(
    /\p{Cc}/gu,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `'${visible.length > 60 ? `${visible.slice(0, 60)}…` : visible}'`;
}

export function normaliseTeamPath(text: string): string {
  return text
    .split('/')
    .map((segment) => segment.trim().replace(/\s+/g, ' '))
    .join('/');
}

/** `file` is only used to label problems. */
export function parseRoster(text: string, file: string): RosterParseResult {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (line: number, field: string | undefined, message: string): void => {
    problems.push({ location: { file, line, ...(field === undefined ? {} : { field }) }, message });
  };

  const records = parse(text, {
    bom: true,
    info: true,
    raw: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      if (error)
        at(
          (error as CsvError & { lines?: number }).lines ?? 0,
          undefined,
          `not valid CSV: ${error.message.replace(/ (on|at) line \d+/, '')}`,
        );
      return undefined;
    },
  }) as unknown as ParsedRecord[];

  const header = records.shift();
  if (!header) {
    at(
      1,
      undefined,
      `the file is empty: a header row is required (${REQUIRED_COLUMNS.join(', ')}, …)`,
    );
    return { entries: [], problems, warnings };
  }
  const columns = header.record.map((name) => name.trim().toLowerCase());
  const seenColumns = new Set<string>();
  for (const column of columns) {
    if (!isRosterColumn(column)) {
      at(header.info.lines, column, `unknown column (expected ${ROSTER_COLUMNS.join(', ')})`);
    } else if (seenColumns.has(column)) {
      at(header.info.lines, column, 'column appears twice');
    }
    seenColumns.add(column);
  }
  for (const required of REQUIRED_COLUMNS) {
    if (!seenColumns.has(required)) at(header.info.lines, required, 'required column is missing');
  }
  if (problems.length > 0) return { entries: [], problems, warnings };

  const entries: RosterEntry[] = [];
  const lineOfEmail = new Map<string, number>();
  const lineOfEntry = new Map<RosterEntry, number>();

  for (const { record, info, raw } of records) {
    // csv-parse reports the line a record ends on; a quoted field may span several lines.
    const line = info.lines - (raw.replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
    const value = (column: RosterColumn): string => {
      const index = columns.indexOf(column);
      return index === -1 ? '' : (record[index] ?? '').trim();
    };
    const before = problems.length;

    const emailText = value('email');
    const email = normaliseEmail(emailText);
    if (emailText === '') at(line, 'email', 'required');
    else if (!EMAIL.test(email)) at(line, 'email', `'${emailText}' is not an email address`);
    else {
      const firstLine = lineOfEmail.get(email);
      if (firstLine !== undefined)
        at(line, 'email', `duplicate email ${email} (first on line ${firstLine})`);
      else lineOfEmail.set(email, line);
    }

    const teamText = value('team');
    const teamPath = normaliseTeamPath(teamText);
    if (teamText === '') at(line, 'team', 'required');
    else {
      // The API's rule (warehouse/team-path.ts): a team it would refuse could never be viewed.
      const problem = teamPathProblem(teamPath);
      if (problem !== null) at(line, 'team', `${quoted(teamText)} ${problem}`);
    }

    const managerText = value('manager_email');
    const managerEmail = managerText === '' ? null : normaliseEmail(managerText);
    if (managerEmail !== null && !EMAIL.test(managerEmail))
      at(line, 'manager_email', `'${managerText}' is not an email address`);
    else if (managerEmail !== null && managerEmail === email)
      at(line, 'manager_email', 'a person cannot be their own manager');

    const timezone = value('timezone') || null;
    if (timezone !== null && !isTimeZone(timezone))
      at(
        line,
        'timezone',
        `unknown time zone '${timezone}' (expected an IANA name such as Europe/Berlin)`,
      );

    let workDays: RosterEntry['workDays'] = null;
    if (value('work_days') !== '') {
      const parsed = parseWorkDays(value('work_days'));
      if (parsed.ok) workDays = parsed.value;
      else at(line, 'work_days', parsed.error);
    }

    const clock = (column: 'work_start' | 'work_end'): number | null => {
      if (value(column) === '') return null;
      const parsed = parseClockTime(value(column));
      if (parsed.ok) return parsed.value;
      at(line, column, parsed.error);
      return null;
    };
    const workStartMinutes = clock('work_start');
    const workEndMinutes = clock('work_end');
    if ((value('work_start') === '') !== (value('work_end') === '')) {
      const missing = value('work_start') === '' ? 'work_start' : 'work_end';
      at(line, missing, 'work_start and work_end must be given together');
    } else if (workStartMinutes !== null && workStartMinutes === workEndMinutes) {
      at(
        line,
        'work_end',
        'must differ from work_start (an end earlier than the start crosses midnight)',
      );
    }

    const slackUserId = value('slack_user_id') || null;
    if (slackUserId !== null && !SLACK_USER_ID.test(slackUserId)) {
      at(line, 'slack_user_id', `'${slackUserId}' is not a Slack user id such as U024BE7LH`);
    }

    if (problems.length === before) {
      const entry: RosterEntry = {
        email,
        teamPath,
        managerEmail,
        timezone,
        workDays,
        workStartMinutes,
        workEndMinutes,
        slackUserId,
      };
      entries.push(entry);
      lineOfEntry.set(entry, line);
    }
  }

  const managerOf = new Map(entries.map((entry) => [entry.email, entry.managerEmail]));
  const reportedCycles = new Set<string>();
  for (const entry of entries) {
    const line = lineOfEntry.get(entry) ?? 0;
    if (
      entry.managerEmail !== null &&
      !managerOf.has(entry.managerEmail) &&
      !lineOfEmail.has(entry.managerEmail)
    ) {
      warnings.push({
        location: { file, line, field: 'manager_email' },
        message: `manager ${entry.managerEmail} is not in the roster (their reports are imported; they will not see these teams until added)`,
      });
    }
    const chain = [entry.email];
    for (
      let manager = entry.managerEmail;
      manager !== null;
      manager = managerOf.get(manager) ?? null
    ) {
      if (manager === entry.email) {
        const members = [...chain].sort().join(',');
        if (!reportedCycles.has(members)) {
          reportedCycles.add(members);
          at(line, 'manager_email', `manager cycle: ${[...chain, entry.email].join(' -> ')}`);
        }
        break;
      }
      if (chain.includes(manager)) break;
      chain.push(manager);
    }
  }
  problems.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
  return { entries, problems, warnings };
}
