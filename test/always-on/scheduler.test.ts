/**
 * The scheduler on a fake clock (vitest's fake Date and timers drive croner itself): entries fire
 * at the right instants across the spring DST change in Berlin, a run that is due while the
 * previous one still goes is skipped and logged, and the job log in a real warehouse records
 * every run. The cron arithmetic is also checked where local time skips or repeats an hour.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Lock, warehouseJobLog } from '../../jobs/log.ts';
import { nextRuns, Scheduler, type ScheduledJob } from '../../jobs/scheduler.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { jobRunsOf } from '../../warehouse/job-log.ts';
import { recordingReporter } from '../../warehouse/reporter.ts';
import { tempDir } from '../helpers/warehouse.ts';

const iso = (dates: readonly Date[]): string[] => dates.map((date) => date.toISOString());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
  vi.useRealTimers();
});

describe('cron entries in a time zone', () => {
  it('keep 06:00 Berlin local across the spring change: 05:00 UTC before, 04:00 UTC after', () => {
    expect(
      iso(nextRuns('0 6 * * *', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 4)),
    ).toEqual([
      '2026-03-28T05:00:00.000Z',
      '2026-03-29T04:00:00.000Z',
      '2026-03-30T04:00:00.000Z',
      '2026-03-31T04:00:00.000Z',
    ]);
  });

  it('run a time that does not exist (02:30 on the spring day) once, when the clocks jump, and a repeated one once', () => {
    expect(
      iso(nextRuns('30 2 * * *', 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 3)),
    ).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(
      iso(nextRuns('30 2 * * *', 'Europe/Berlin', new Date('2026-10-24T12:00:00Z'), 3)),
    ).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z', '2026-10-27T01:30:00.000Z']);
  });
});

describe('Scheduler', () => {
  it('fires at the right instants across DST, skips an overlapping run once, and logs every run', async () => {
    const dbPath = join(tempDir(), 'w.duckdb');
    (await Warehouse.open(dbPath)).close();
    // 23:00 in Berlin on the night the clocks jump from 02:00 CET to 03:00 CEST.
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      now: new Date('2026-03-28T22:00:00Z'),
    });
    const refreshStarts: string[] = [];
    const reportStarts: string[] = [];
    const refresh: ScheduledJob = {
      name: 'refresh',
      // Half past every hour from 00:30 to 05:30 local: 02:30 does not exist that night.
      cron: '30 0-5 * * *',
      timezone: 'Europe/Berlin',
      run: async () => {
        refreshStarts.push(new Date().toISOString());
        // The second run takes 70 minutes: still going when the next one is due.
        await sleep(refreshStarts.length === 2 ? 70 * 60_000 : 60_000);
        return { status: 'ok', counts: { run: refreshStarts.length }, error: null };
      },
    };
    const report: ScheduledJob = {
      name: 'report',
      cron: '0 4 * * 0',
      timezone: 'Europe/Berlin',
      run: () => {
        reportStarts.push(new Date().toISOString());
        return Promise.reject(new Error('SMTP refused password=hunter2-secret'));
      },
    };
    const reporter = recordingReporter();
    const scheduler = new Scheduler({
      jobs: [refresh, report],
      log: warehouseJobLog({ dbPath, secrets: [], lock: new Lock(), reporter }),
      reporter,
    });
    scheduler.start();
    expect(iso(Object.values(scheduler.next()).flatMap((at) => (at === null ? [] : [at])))).toEqual(
      ['2026-03-28T23:30:00.000Z', '2026-03-29T02:00:00.000Z'],
    );
    const end = new Date('2026-03-29T04:00:00Z').getTime();
    while (Date.now() < end) {
      await vi.advanceTimersByTimeAsync(5 * 60_000);
      await scheduler.settled();
    }
    await scheduler.stop();
    vi.useRealTimers();

    // 00:30 and 01:30 CET; 02:30 does not exist; 03:30 CEST (01:30Z) is skipped by the overlap,
    // with no late run once the long one ends; then 04:30 and 05:30 CEST.
    expect(refreshStarts).toEqual([
      '2026-03-28T23:30:00.000Z',
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T02:30:00.000Z',
      '2026-03-29T03:30:00.000Z',
    ]);
    expect(reportStarts).toEqual(['2026-03-29T02:00:00.000Z']);
    expect(reporter.warnings.filter((line) => line.includes('skipped'))).toEqual([
      'refresh: skipped the run due at 2026-03-29T01:30:00.000Z, the previous run is still going',
    ]);

    const db = await Warehouse.open(dbPath, { readOnly: true });
    try {
      const runs = await jobRunsOf(db, 'refresh');
      expect(runs.map((run) => [run.status, run.started_at, run.finished_at])).toEqual([
        ['ok', '2026-03-28T23:30:00.000Z', '2026-03-28T23:31:00.000Z'],
        ['ok', '2026-03-29T00:30:00.000Z', '2026-03-29T01:40:00.000Z'],
        ['skipped', '2026-03-29T01:30:00.000Z', '2026-03-29T01:30:00.000Z'],
        ['ok', '2026-03-29T02:30:00.000Z', '2026-03-29T02:31:00.000Z'],
        ['ok', '2026-03-29T03:30:00.000Z', '2026-03-29T03:31:00.000Z'],
      ]);
      const [reportRun] = await jobRunsOf(db, 'report');
      expect(reportRun).toMatchObject({ status: 'failed', started_at: '2026-03-29T02:00:00.000Z' });
      expect(reportRun?.error).toBe('SMTP refused password=[redacted]');
    } finally {
      db.close();
    }
  }, 120_000);

  it('stop() lets the running job finish after its signal and starts nothing new', async () => {
    const dbPath = join(tempDir(), 'w.duckdb');
    (await Warehouse.open(dbPath)).close();
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
      now: new Date('2026-06-01T03:59:00Z'),
    });
    let steps = 0;
    const job: ScheduledJob = {
      name: 'refresh',
      cron: '0 * * * *',
      timezone: 'UTC',
      run: async (signal) => {
        // Steps of one minute; after the signal, the step in progress is the last.
        while (!signal.aborted && steps < 100) {
          await sleep(60_000);
          steps++;
        }
        return { status: signal.aborted ? 'aborted' : 'ok', counts: { steps }, error: null };
      },
    };
    const reporter = recordingReporter();
    const scheduler = new Scheduler({
      jobs: [job],
      log: warehouseJobLog({ dbPath, secrets: [], lock: new Lock(), reporter }),
      reporter,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(3 * 60_000 + 30_000);
    expect(scheduler.busy).toBe(true);
    const stopped = scheduler.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    await stopped;
    expect(scheduler.busy).toBe(false);
    expect(steps).toBe(3);
    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    vi.useRealTimers();
    const db = await Warehouse.open(dbPath, { readOnly: true });
    try {
      const runs = await jobRunsOf(db, 'refresh');
      expect(runs.map((run) => [run.status, run.counts])).toEqual([['aborted', { steps: 3 }]]);
    } finally {
      db.close();
    }
  }, 60_000);
});
