import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../warehouse/errors.ts';
import { parseRoster } from './parse.ts';

const HEADER = 'email,name,team,manager_email,timezone,work_days,work_start,work_end,slack_user_id';

function problems(text: string): string[] {
  return parseRoster(text, 'roster.csv').problems.map(formatProblem);
}

describe('roster parsing', () => {
  it('reads every column, normalising emails and team paths', () => {
    const result = parseRoster(
      `${HEADER}\n Ada@Example.COM ,Ada,Engineering / Platform,BOSS@example.com,Europe/Berlin,"Mon,Tue,Thu",08:30,16:30,U0ADA\n`,
      'roster.csv',
    );
    expect(result.problems).toEqual([]);
    expect(result.entries).toEqual([
      {
        email: 'ada@example.com',
        teamPath: 'Engineering/Platform',
        managerEmail: 'boss@example.com',
        timezone: 'Europe/Berlin',
        workDays: [1, 2, 4],
        workStartMinutes: 510,
        workEndMinutes: 990,
        slackUserId: 'U0ADA',
      },
    ]);
  });

  it('accepts columns in any order, only email and team being required', () => {
    const result = parseRoster('team,email\nOps,a@example.com\n', 'roster.csv');
    expect(
      result.entries.map((entry) => [entry.email, entry.teamPath, entry.timezone, entry.workDays]),
    ).toEqual([['a@example.com', 'Ops', null, null]]);
  });

  it('rejects unknown and missing columns in the header', () => {
    expect(problems('email,team,department\na@example.com,Ops,X\n')).toEqual([
      'roster.csv:1 department: unknown column (expected email, name, team, manager_email, timezone, work_days, work_start, work_end, slack_user_id)',
    ]);
    expect(problems('email,name\na@example.com,A\n')).toEqual([
      'roster.csv:1 team: required column is missing',
    ]);
    expect(problems('')).toEqual([
      'roster.csv:1: the file is empty: a header row is required (email, team, …)',
    ]);
  });

  it('reports every bad row with its line and column', () => {
    const text = [
      HEADER,
      'a@example.com,A,Eng,,Europe/Londn,,,,',
      'b@example.com,B,Eng,,,Mon-Funday,,,',
      'c@example.com,C,Eng,,,,9am,17:00,',
      'd@example.com,D,Eng,,,,09:00,,',
      'e@example.com,E,Eng,,,,09:00,09:00,',
      'A@EXAMPLE.com,A2,Eng,,,,,,',
      'not-an-email,X,Eng,,,,,,',
      'f@example.com,F,,,,,,,',
      'g@example.com,G,Eng//Core,,,,,,',
      'h@example.com,H,Eng,h@example.com,,,,,',
      'i@example.com,I,Eng,,,,,,slack-i',
    ].join('\n');
    expect(problems(text)).toEqual([
      "roster.csv:2 timezone: unknown time zone 'Europe/Londn' (expected an IANA name such as Europe/Berlin)",
      "roster.csv:3 work_days: unknown day 'Funday' (use Mon, Tue, Wed, Thu, Fri, Sat, Sun)",
      "roster.csv:4 work_start: expected HH:MM, got '9am'",
      'roster.csv:5 work_end: work_start and work_end must be given together',
      'roster.csv:6 work_end: must differ from work_start (an end earlier than the start crosses midnight)',
      'roster.csv:7 email: duplicate email a@example.com (first on line 2)',
      "roster.csv:8 email: 'not-an-email' is not an email address",
      'roster.csv:9 team: required',
      "roster.csv:10 team: 'Eng//Core' has an empty part: expected a team path such as Engineering/Platform",
      'roster.csv:11 manager_email: a person cannot be their own manager',
      "roster.csv:12 slack_user_id: 'slack-i' is not a Slack user id such as U024BE7LH",
    ]);
  });

  it('finds manager cycles and reports each once', () => {
    const text = [
      HEADER,
      'a@example.com,A,Eng,b@example.com,,,,,',
      'b@example.com,B,Eng,c@example.com,,,,,',
      'c@example.com,C,Eng,a@example.com,,,,,',
      'd@example.com,D,Eng,a@example.com,,,,,',
    ].join('\n');
    expect(problems(text)).toEqual([
      'roster.csv:2 manager_email: manager cycle: a@example.com -> b@example.com -> c@example.com -> a@example.com',
    ]);
  });

  it('warns, without failing, about a manager missing from the roster', () => {
    const result = parseRoster(
      `${HEADER}\na@example.com,A,Eng,boss@example.com,,,,,\n`,
      'roster.csv',
    );
    expect(result.problems).toEqual([]);
    expect(result.warnings.map(formatProblem)).toEqual([
      'roster.csv:2 manager_email: manager boss@example.com is not in the roster (their reports are imported; they will not see these teams until added)',
    ]);
  });

  it('reports malformed CSV with its line and keeps line numbers right after a multi-line field', () => {
    expect(problems(`${HEADER}\na@example.com,"A\nLovelace",Eng,,Mars/Base,,,,\n`)).toEqual([
      "roster.csv:2 timezone: unknown time zone 'Mars/Base' (expected an IANA name such as Europe/Berlin)",
    ]);
    expect(problems(`${HEADER}\na@example.com,A,Eng,,,,,\nb@example.com,B,Eng,,,,,,\n`)[0]).toMatch(
      /^roster\.csv:2: not valid CSV: Invalid Record Length/,
    );
  });

  it('accepts a night shift and non-weekday schedules', () => {
    const result = parseRoster(
      `${HEADER}\nn@example.com,N,Ops,,Asia/Tokyo,Sun-Thu,22:00,06:00,\n`,
      'roster.csv',
    );
    expect(result.entries[0]).toMatchObject({
      workDays: [1, 2, 3, 4, 7],
      workStartMinutes: 1320,
      workEndMinutes: 360,
    });
  });
});
