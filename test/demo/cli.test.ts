/** `syncbalance demo` as a user runs it: the real CLI in a child process, on a real file. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';

describe('syncbalance demo', () => {
  it('generates the demo into the given warehouse and prints one summary line', async () => {
    const file = join(tempDir(), 'demo.duckdb');
    const started = performance.now();
    const result = await runCli(['demo', '--last-week', '2026-11-09', '--no-build', '--db', file], {
      env: { SYNCBALANCE_SALT: TEST_SALT },
    });
    console.info(`syncbalance demo (CLI, 16 weeks): ${Math.round(performance.now() - started)} ms`);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^Generated the demo organisation \(seed 42\): 1\d\d people in 10 teams, 16 weeks from 2026-07-27 to 2026-11-15: [\d,]+ calendar events, [\d,]+ Slack messages\n$/,
    );
  });

  it('exits 2 with a usage error for a last week that is not a Monday', async () => {
    const file = join(tempDir(), 'demo.duckdb');
    const result = await runCli(['demo', '--last-week', '2026-11-11', '--no-build', '--db', file], {
      env: { SYNCBALANCE_SALT: TEST_SALT },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--last-week: 2026-11-11 is not a Monday/);
    expect(result.stdout).toBe('');
  });
});
