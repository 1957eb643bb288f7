/**
 * The team-week CSV contract: header, number formats, empty suppressed cells, RFC 4180 quoting,
 * formula neutralisation and the team/date selection, through the function and the real CLI.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_METRICS } from '../../server/contract/metrics.ts';
import {
  csvField,
  TEAM_WEEK_CSV_HEADER,
  writeTeamWeeksCsv,
} from '../../warehouse/export/team-weeks-csv.ts';
import { publishSnapshot } from '../../warehouse/publish.ts';
import { runCli } from '../helpers/cli.ts';
import { Scenario } from '../metrics/scenario.ts';

/**
 * The header exactly as issue 4 defines it, a contract with every spreadsheet built on it, with
 * issue 12's band appended (members_active keeps its place, always empty).
 */
const CONTRACT =
  'team,week_start,members,members_active,suppressed,meeting_hours_median,meeting_hours_p25,meeting_hours_p75,meeting_load_pct_median,after_hours_meeting_hours_median,conflict_hours_median,focus_hours_median,focus_hours_p25,focus_hours_p75,fragmented_hours_median,messages_sent_median,off_hours_share_median,public_share,response_median_working_minutes,response_median_working_minutes_p25,response_median_working_minutes_p75,response_median_wall_minutes,responses_within_5min_share_median,sync_share_median,overlap_hours_all,members_active_min,members_active_max';

async function capture(write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<string> {
  const { PassThrough } = await import('node:stream');
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  await write(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

/** Five people in 'Eng/Core' (person i: i hours of meetings, 3 messages) and two in a risky team name. */
async function organisation() {
  const scenario = new Scenario();
  const core = ['a', 'b', 'c', 'd', 'e'].map((name) => `${name}@example.com`);
  for (const [index, email] of core.entries()) {
    scenario.person(email, { team: 'Eng/Core', timezone: 'Europe/Berlin', slack: `U${index}` });
    scenario.meeting(email, {
      start: '2026-03-03 09:00',
      end: `2026-03-03 ${String(10 + index).padStart(2, '0')}:00`,
      with: [core[(index + 1) % 5] ?? email],
    });
    for (const minute of ['00', '01', '02']) {
      scenario.message(`U${index}`, {
        at: `2026-03-04 ${10 + index}:${minute}`,
        zone: 'Europe/Berlin',
        conversation: `C${index}`,
        type: index < 2 ? 'public_channel' : 'private_channel',
      });
    }
    scenario.message(`U${index}`, {
      at: '2026-03-10 10:00',
      zone: 'Europe/Berlin',
      conversation: `C${index}`,
      type: 'public_channel',
    });
  }
  for (const email of ['x@example.com', 'y@example.com']) {
    scenario.person(email, { team: '=SUM(A1), "ops"', timezone: 'Europe/Berlin' });
    scenario.meeting(email, {
      start: '2026-03-03 09:00',
      end: '2026-03-03 10:00',
      with: ['x@example.com', 'y@example.com'].filter((other) => other !== email),
    });
  }
  return scenario.build();
}

describe('team-week CSV', () => {
  it('has exactly the contract header, the same as the API contract’s column list', () => {
    expect(TEAM_WEEK_CSV_HEADER).toBe(CONTRACT);
    expect(CONTRACT.split(',').slice(5, -2)).toEqual([...CSV_METRICS]);
  });

  it('writes hours with 2 decimals, shares with 4, suppressed rows empty, RFC 4180 with CRLF', async () => {
    const built = await organisation();
    const csv = await capture((out) =>
      writeTeamWeeksCsv(built.db, { teams: null, from: '2026-03-02', to: '2026-03-08' }, out),
    );
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(CONTRACT);
    expect(lines.at(-1)).toBe('');
    const rows = lines.slice(1, -1);
    // Teams sorted by path: the risky name sorts first ('=' < 'E'), then Eng and Eng/Core.
    expect(rows.map((row) => row.split(',')[0])).toEqual([`"'=SUM(A1)`, 'Eng', 'Eng/Core']);
    const core = (rows[2] ?? '').split(',');
    const cell = (name: string) => core[CONTRACT.split(',').indexOf(name)];
    expect(cell('week_start')).toBe('2026-03-02');
    expect(cell('members')).toBe('5');
    // Never an exact count: a band of width 5, here 5–5 because the team has five people.
    expect(cell('members_active')).toBe('');
    expect(cell('members_active_min')).toBe('5');
    expect(cell('members_active_max')).toBe('5');
    expect(cell('suppressed')).toBe('false');
    expect(cell('meeting_hours_median')).toBe('3.00');
    expect(cell('meeting_load_pct_median')).toBe('7.50');
    // 2 of 5 people post only in public channels: pooled 6 / 15 messages.
    expect(cell('public_share')).toBe('0.4000');
    // Nobody answered anybody: no latency.
    expect(cell('response_median_working_minutes')).toBe('');
    // The two-person team is suppressed: its head count shown, no count of active people (which
    // would say who was away), every metric cell empty.
    expect(rows[0]).toBe(`"'=SUM(A1), ""ops""",2026-03-02,2,,true${','.repeat(22)}`);
  });

  it('selects teams exactly and weeks by the weeks containing from and to', async () => {
    const built = await organisation();
    const csv = await capture((out) =>
      writeTeamWeeksCsv(
        built.db,
        { teams: ['Eng/Core'], from: '2026-03-12', to: '2026-03-15' },
        out,
      ),
    );
    const rows = csv.split('\r\n').slice(1, -1);
    expect(rows.map((row) => row.split(',').slice(0, 2).join(','))).toEqual([
      'Eng/Core,2026-03-09',
    ]);
  });

  it('neutralises formulas and quotes only when needed', () => {
    expect(csvField('+1-555', true)).toBe("'+1-555");
    expect(csvField('@cmd', true)).toBe("'@cmd");
    expect(csvField('-2', false)).toBe('-2');
    expect(csvField('a "b"', true)).toBe('"a ""b"""');
    expect(csvField('Eng/Core', true)).toBe('Eng/Core');
  });

  it('exports a team and its descendants through the CLI, to stdout or a file, and rejects unknown teams', async () => {
    const built = await organisation();
    const file = built.db.path;
    // The CLI exports the published snapshot, as the server shows it.
    await publishSnapshot(built.db, { keep: 2 });
    built.db.close();
    const result = await runCli([
      '--db',
      file,
      'export',
      'csv',
      '--team',
      'Eng',
      '--from',
      '2026-03-02',
      '--to',
      '2026-03-02',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\r\n')
        .slice(1, -1)
        .map((row) => row.split(',')[0]),
    ).toEqual(['Eng', 'Eng/Core']);

    const target = `${file}.csv`;
    const toFile = await runCli([
      '--db',
      file,
      'export',
      'csv',
      '--team',
      'Eng/Core',
      '--out',
      target,
    ]);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toContain(`Wrote 2 team-weeks to ${target}`);
    expect(readFileSync(target, 'utf8').split('\r\n')[0]).toBe(CONTRACT);

    const unknown = await runCli(['--db', file, 'export', 'csv', '--team', 'Nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown team 'Nope'");

    // A raised minimum group size must not be undercut by marts built with the old one.
    const stricter = join(dirname(file), 'stricter.yaml');
    writeFileSync(stricter, 'minGroupSize: 8\n');
    const stale = await runCli(['--db', file, '--config', stricter, 'export', 'csv']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain(
      "the published build was not made with the current settings: run 'syncbalance build' first",
    );
    expect(stale.stderr).toContain('minGroupSize: built with 5, configured 8');

    const reversed = await runCli([
      '--db',
      file,
      'export',
      'csv',
      '--from',
      '2026-03-09',
      '--to',
      '2026-03-02',
    ]);
    expect(reversed.code).toBe(2);
  });
});
