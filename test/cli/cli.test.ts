/**
 * The command line as a user meets it: help everywhere, exit codes 0/1/2, one clear error line
 * (a stack only with --verbose), the salt created once with owner-only permissions, and no
 * progress noise when not on a terminal.
 */
import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Warehouse } from '../../warehouse/db.ts';
import { REPO_ROOT, runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';

const COMMANDS = [
  [],
  ['demo'],
  ['import'],
  ['import', 'roster'],
  ['import', 'slack-export'],
  ['import', 'ics'],
  ['build'],
  ['export'],
  ['export', 'csv'],
  ['serve'],
  ['report'],
  ['report', 'preview'],
  ['report', 'send'],
  ['report', 'status'],
  ['publish'],
  ['refresh'],
  ['schedule'],
  ['status'],
  ['doctor'],
];

function roster(dir: string): string {
  const file = join(dir, 'roster.csv');
  writeFileSync(file, 'email,team\nada@example.com,Eng\n');
  return file;
}

describe('syncbalance CLI', () => {
  it('answers --help on every command with exit code 0', async () => {
    const results = await Promise.all(COMMANDS.map((command) => runCli([...command, '--help'])));
    for (const [index, result] of results.entries()) {
      expect(result.code, COMMANDS[index]?.join(' ')).toBe(0);
      expect(result.stdout, COMMANDS[index]?.join(' ')).toMatch(/^Usage: syncbalance/);
    }
  });

  it('starts without loading the Google API client, which only a Google sync needs', () => {
    // googleapis takes half a second to load; every command, --help and status included, paid it
    // while the refresh jobs imported the Google sync statically.
    const packages = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { registerHooks } from 'node:module';
         const loaded = new Set();
         registerHooks({
           resolve(specifier, context, nextResolve) {
             const result = nextResolve(specifier, context);
             const match = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(result.url);
             if (match) loaded.add(match[1]);
             return result;
           },
         });
         await import(${JSON.stringify(join(REPO_ROOT, 'scripts', 'cli', 'main.ts'))});
         console.log(JSON.stringify([...loaded]));`,
      ],
      { encoding: 'utf8' },
    );
    const loaded = JSON.parse(packages) as string[];
    expect(loaded).toContain('commander');
    expect(loaded).not.toContain('googleapis');
    expect(loaded).not.toContain('@google-cloud/local-auth');
  });

  it('exits 2 on usage errors with one line on stderr', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const badDate = await runCli(['import', 'roster', 'x.csv', '--as-of', '2026-02-30']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toBe(
      "error: --as-of: expected a date as YYYY-MM-DD, got '2026-02-30'\n",
    );
    const missing = await runCli(['import', 'roster']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("error: missing required argument 'file'");
  });

  it('exits 2 on an invalid config file, listing every problem with its path', async () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'workingHours:\n  start: "9"\nminGroupSize: 1\n');
    const result = await runCli(['--config', config, '--db', join(dir, 'w.duckdb'), 'build']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        `error: invalid configuration in ${config} (2 problems)`,
        `  ${config} workingHours.start: expected HH:MM`,
        `  ${config} minGroupSize: must be at least 3: smaller groups would expose individuals`,
        '',
      ].join('\n'),
    );
  });

  it('exits 1 on a runtime failure with a clear line, and shows the stack only with --verbose', async () => {
    const dir = tempDir();
    const file = join(dir, 'w.duckdb');
    const holder = await Warehouse.open(file);
    try {
      const result = await runCli(['--db', file, 'build']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: the warehouse .*w\.duckdb is in use by another process \(PID \d+\): stop it \(for example a running 'syncbalance serve'\) and try again\n$/,
      );
      const verbose = await runCli(['--db', file, '--verbose', 'build']);
      expect(verbose.code).toBe(1);
      expect(verbose.stderr).toContain('    at ');
    } finally {
      holder.close();
    }
  });

  it('creates the salt once beside the database, readable by its owner only, and says so', async () => {
    const dir = tempDir();
    const file = join(dir, 'w.duckdb');
    const first = await runCli(['--db', file, 'import', 'roster', roster(dir)]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(
      `Generated a pseudonymisation salt in ${file}.salt (readable by you only)`,
    );
    expect(statSync(`${file}.salt`).mode & 0o777).toBe(0o600);
    const second = await runCli(['--db', file, 'import', 'roster', roster(dir)]);
    expect(second.stderr).toBe('');
  });

  it('refuses to import with a different salt than the warehouse was built with', async () => {
    const dir = tempDir();
    const file = join(dir, 'w.duckdb');
    expect(
      (
        await runCli(['--db', file, 'import', 'roster', roster(dir)], {
          env: { SYNCBALANCE_SALT: TEST_SALT },
        })
      ).code,
    ).toBe(0);
    const other = await runCli(['--db', file, 'import', 'roster', roster(dir)], {
      env: { SYNCBALANCE_SALT: 'another-salt-of-16-plus' },
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('the salt differs from the one the warehouse');
  });

  it('takes the warehouse path from SYNCBALANCE_DB and prints nothing but the result when not on a terminal', async () => {
    const dir = tempDir();
    const file = join(dir, 'from-env.duckdb');
    const result = await runCli(['import', 'roster', roster(dir)], {
      env: { SYNCBALANCE_DB: file, SYNCBALANCE_SALT: TEST_SALT },
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^Imported roster snapshot \d{4}-\d{2}-\d{2}: 1 people in 1 teams\n$/,
    );
    expect(statSync(file).isFile()).toBe(true);
  });
});
