/**
 * What the roster accepts must be usable: a team path is checked with the API's own rule
 * (warehouse/team-path.ts), and an email with a byte that is not UTF-8 is refused with its line
 * instead of being stored as U+FFFD, which would never match a calendar or a Slack account.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importRoster } from '../../ingest/roster/import.ts';
import { parseRoster } from '../../ingest/roster/parse.ts';
import { teamPathSchema } from '../../server/contract/api.ts';
import { InputError } from '../../warehouse/errors.ts';
import { firstInvalidUtf8 } from '../../warehouse/files.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';

const BAD_TEAMS = [
  ['Eng/Co\u0000re', "'Eng/Co\\u0000re' contains a control character"],
  ['Eng/\u0007Bell', "'Eng/\\u0007Bell' contains a control character"],
  ['Eng/Del\u007f', "'Eng/Del\\u007f' contains a control character"],
  [`Eng/${'x'.repeat(297)}`, 'is 301 characters long, over the 300 a team path may have'],
] as const;

describe('team paths at the roster door', () => {
  it('refuses NUL, control characters and paths over 300 characters, exactly the paths the API refuses', () => {
    const text = [
      'email,team',
      ...BAD_TEAMS.map(([team], index) => `p${index}@example.com,"${team}"`),
    ].join('\n');
    const { problems, entries } = parseRoster(text, 'roster.csv');
    expect(entries).toEqual([]);
    expect(problems.map((problem) => [problem.location.line, problem.location.field])).toEqual(
      BAD_TEAMS.map((_, index) => [index + 2, 'team']),
    );
    for (const [index, [team, message]] of BAD_TEAMS.entries()) {
      expect(problems[index]?.message).toContain(message);
      expect(teamPathSchema.safeParse(team).success).toBe(false);
    }
  });

  it('accepts a 300-character path, which the API accepts too', () => {
    const team = `Eng/${'x'.repeat(296)}`;
    const { problems, entries } = parseRoster(`email,team\nada@example.com,${team}\n`, 'r.csv');
    expect(problems).toEqual([]);
    expect(entries.map((entry) => entry.teamPath)).toEqual([team]);
    expect(teamPathSchema.safeParse(team).success).toBe(true);
  });
});

describe('bytes that are not UTF-8', () => {
  it('refuses an email with an invalid UTF-8 byte, naming the line and column, and imports nothing', async () => {
    const db = await tempWarehouse();
    const file = join(tempDir(), 'roster.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('email,team\nada@example.com,Eng\nren'),
        Buffer.from([0xe9]), // é in Latin-1
        Buffer.from('e@example.com,Eng\n'),
      ]),
    );
    const importing = importRoster({
      db,
      pseudonymizer: testPseudonymizer,
      file,
      asOf: '2026-01-05',
      reporter: silentReporter,
    });
    await expect(importing).rejects.toThrow(
      new InputError(
        `${file}:3:4: is not valid UTF-8 (byte 0xE9): save the roster as UTF-8 and try again`,
      ),
    );
    expect(await db.one('SELECT count(*)::INTEGER AS n FROM raw.roster_people')).toEqual({ n: 0 });
  });

  it('finds the first malformed sequence: stray, truncated, overlong and surrogate bytes', () => {
    const at = (...bytes: number[]) => firstInvalidUtf8(Uint8Array.from(bytes));
    expect(at(0x61, 0xc3, 0xa9, 0x62)).toBe(-1); // aéb
    expect(at(0x61, 0x80)).toBe(1);
    expect(at(0x61, 0xc3)).toBe(1);
    expect(at(0xc0, 0xaf)).toBe(0);
    expect(at(0x61, 0x62, 0xed, 0xa0, 0x80)).toBe(2);
    expect(at(0xf0, 0x9f, 0x98, 0x80, 0xf4, 0x90, 0x80, 0x80)).toBe(4);
  });
});
