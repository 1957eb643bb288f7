import type { Command } from 'commander';
import { registeredReportJob } from '../../../jobs/registry.ts';
import { Lock, warehouseJobLog } from '../../../jobs/log.ts';
import { Scheduler, type ScheduledJob } from '../../../jobs/scheduler.ts';
import '../../../jobs/wiring.ts';
import { writeLastRun, writeScheduleState } from '../../../warehouse/job-log.ts';
import type { CliContext } from '../context.ts';
import type { Io } from '../io.ts';
import { secretsOf } from './publish.ts';
import { runRefresh } from './refresh.ts';
import { contextOf } from './shared.ts';

/** The scheduler for the config's `schedule` entries; null when nothing is scheduled. */
export function createScheduler(context: CliContext): Scheduler | null {
  const { config, reporter } = context;
  const secrets = secretsOf(context);
  const lock = new Lock();
  const jobs: ScheduledJob[] = [];
  const refreshEntry = config.schedule.refresh;
  if (refreshEntry !== undefined)
    jobs.push({
      name: 'refresh',
      ...refreshEntry,
      secrets,
      run: (signal) =>
        lock.run(async () => {
          const result = await runRefresh(context, signal);
          return {
            status: result.status,
            counts: { build_id: result.publish?.buildId ?? null },
            error: result.error,
            logged: true,
          };
        }),
    });
  const reportEntry = config.schedule.report;
  const report = registeredReportJob();
  if (reportEntry !== undefined && report === null)
    reporter.warn('schedule.report is set, but no report job is installed: it is not scheduled');
  if (reportEntry !== undefined && report !== null) {
    const reportSecrets = [...secrets, ...(report.secrets?.(context.env) ?? [])];
    jobs.push({
      name: 'report',
      ...reportEntry,
      secrets: reportSecrets,
      // Under the refresh's lock: both need the working warehouse, which one process opens once.
      run: (signal) =>
        lock.run(async () => {
          const result = await report.run({
            config,
            env: context.env,
            dbPath: context.dbPath,
            reporter,
            now: context.io.now,
            signal,
          });
          return { status: 'ok', counts: result.counts, error: null };
        }),
    });
  }
  if (jobs.length === 0) return null;
  return new Scheduler({
    jobs,
    log: warehouseJobLog({ dbPath: context.dbPath, secrets, lock, reporter }),
    reporter,
    onNextRuns: (next) => {
      writeScheduleState(context.dbPath, {
        pid: process.pid,
        updated_at: new Date().toISOString(),
        next: Object.fromEntries(
          Object.entries(next).map(([job, at]) => [job, at?.toISOString() ?? null]),
        ),
      });
    },
  });
}

/**
 * Runs the scheduler until SIGTERM or SIGINT: the first lets the running job finish its current
 * step and exits cleanly; a second aborts at once (DuckDB drops the uncommitted transaction, the
 * published snapshot is untouched) after noting the aborted runs beside the snapshots.
 */
export async function runUntilSignalled(context: CliContext, scheduler: Scheduler): Promise<void> {
  scheduler.start();
  for (const [job, at] of Object.entries(scheduler.next()))
    context.reporter.info(`${job}: next run ${at?.toISOString() ?? 'never'}`);
  await new Promise<void>((resolve) => {
    const second = (): void => {
      const now = new Date();
      for (const job of scheduler.runningJobs())
        writeLastRun(context.dbPath, {
          job,
          startedAt: now,
          finishedAt: now,
          status: 'aborted',
          counts: {},
          error: 'aborted by a second stop signal',
        });
      context.reporter.warn('aborted: the running job stopped without committing its current step');
      process.exit(143);
    };
    const first = (): void => {
      process.off('SIGTERM', first);
      process.off('SIGINT', first);
      process.once('SIGTERM', second);
      process.once('SIGINT', second);
      if (scheduler.busy)
        context.reporter.info(
          'stopping after the running job finishes its current step (signal again to abort now)',
        );
      void scheduler.stop().then(() => {
        process.off('SIGTERM', second);
        process.off('SIGINT', second);
        writeScheduleState(context.dbPath, {
          pid: process.pid,
          updated_at: new Date().toISOString(),
          next: {},
        });
        resolve();
      });
    };
    process.on('SIGTERM', first);
    process.on('SIGINT', first);
  });
}

export function registerSchedule(program: Command, io: Io): void {
  program
    .command('schedule')
    .description(
      "run the config's schedule (refresh, report) until stopped; SIGTERM lets a running job finish its current step",
    )
    .action(async (_options: unknown, command: Command) => {
      const context = contextOf(command, io);
      const scheduler = createScheduler(context);
      if (scheduler === null) {
        context.reporter.warn(
          'nothing is scheduled: set schedule.refresh (and schedule.report) in the config',
        );
        return;
      }
      await runUntilSignalled(context, scheduler);
    });
}
