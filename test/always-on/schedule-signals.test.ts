/**
 * Stopping `syncbalance schedule`: the first SIGTERM lets the running refresh finish the step it
 * is in and exits cleanly without publishing half a refresh; a second SIGTERM aborts at once,
 * and the published data is untouched either way, with the warehouse consistent for the next run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { jobRunsOf, readLastRuns } from '../../warehouse/job-log.ts';
import { readCurrent } from '../../warehouse/snapshot.ts';
import { buildDemoWarehouse, type DemoWarehouse } from '../server/helpers/demo.ts';
import { spawnCli } from './helpers.ts';

let demo: DemoWarehouse;
let config: string;

beforeAll(async () => {
  demo = await buildDemoWarehouse(parseConfig({}), 3);
  config = join(demo.dir, 'config.yaml');
  // Every second, so the refresh starts as soon as the scheduler does.
  writeFileSync(config, "schedule:\n  refresh: { cron: '* * * * * *', timezone: Europe/Berlin }\n");
}, 180_000);

afterAll(() => {
  demo.remove();
});

describe('syncbalance schedule and SIGTERM', () => {
  it('on the first SIGTERM finishes the running step, publishes nothing half-done, and exits 0', async () => {
    const before = readCurrent(demo.path)?.build_id;
    const scheduler = spawnCli(['--db', demo.path, '--config', config, 'schedule']);
    await scheduler.waitFor(/refresh: started/);
    scheduler.child.kill('SIGTERM');
    expect(await scheduler.exited, scheduler.stderr()).toBe(0);
    expect(scheduler.stderr()).toContain(
      'stopping after the running job finishes its current step',
    );
    expect(readCurrent(demo.path)?.build_id).toBe(before);
    const db = await Warehouse.open(demo.path, { readOnly: true });
    try {
      const runs = await jobRunsOf(db, 'refresh');
      expect(runs.map((run) => run.status)).toEqual(['aborted']);
      expect(runs[0]?.error).toBe('stopped by a signal before finishing');
    } finally {
      db.close();
    }
  }, 120_000);

  it('on a second SIGTERM aborts inside the build transaction; the next build publishes', async () => {
    const before = readCurrent(demo.path)?.build_id;
    const scheduler = spawnCli(['--db', demo.path, '--config', config, 'schedule'], {
      SYNCBALANCE_TEST_PAUSE_AT: 'build:before-commit',
    });
    await scheduler.waitFor(/paused at build:before-commit/);
    scheduler.child.kill('SIGTERM');
    await scheduler.waitFor(/signal again to abort now/);
    scheduler.child.kill('SIGTERM');
    expect(await scheduler.exited).toBe(143);
    expect(readCurrent(demo.path)?.build_id).toBe(before);
    expect(readLastRuns(demo.path).find((run) => run.job === 'refresh')?.status).toBe('aborted');

    const rerun = spawnCli(['--db', demo.path, 'build']);
    expect(await rerun.exited, rerun.stderr()).toBe(0);
    expect(readCurrent(demo.path)?.build_id).not.toBe(before);
  }, 120_000);
});
