/**
 * `syncbalance schedule`: croner entries, each a cron pattern read in its own IANA time zone, so
 * "06:00 Europe/Berlin" stays 06:00 local across DST changes (a local time the spring change skips
 * runs once, when the clocks jump; one the autumn change repeats runs once, the first time).
 *
 * A job never runs twice at once: when its next time comes while it still runs, that run is
 * skipped, logged, and recorded in the job log, once. The guard is ours rather than croner's
 * `protect`, because `protect` calls back every 30 s for the same missed time while the job runs
 * and then still runs that missed time late, after the job ends. `stop()` lets the running jobs
 * finish their current step (their `signal` is aborted) and resolves when they have.
 */
import { Cron } from 'croner';
import { errorText, type JobCounts, type JobStatus } from '../warehouse/job-log.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import type { JobLog } from './log.ts';

export interface JobOutcome {
  readonly status: JobStatus;
  readonly counts: JobCounts;
  readonly error: string | null;
  /** The job wrote its run to the job log itself (the refresh does, step by step). */
  readonly logged?: boolean;
}

export interface ScheduledJob {
  readonly name: string;
  readonly cron: string;
  readonly timezone: string;
  /** Returns how the run went; a throw counts as a failure. */
  run(signal: AbortSignal): Promise<JobOutcome>;
  /** Secret values to strip from a thrown error's text. */
  readonly secrets?: readonly string[];
}

export interface SchedulerOptions {
  readonly jobs: readonly ScheduledJob[];
  readonly log: JobLog;
  readonly reporter: Reporter;
  /** Called whenever the next runs change (the CLI writes them beside the snapshots). */
  readonly onNextRuns?: (next: Record<string, Date | null>) => void;
}

/** The next `count` instants of a cron entry after `from` (for `status` and the docs' examples). */
export function nextRuns(cron: string, timezone: string, from: Date, count: number): Date[] {
  const entry = new Cron(cron, { timezone, paused: true });
  try {
    return entry.nextRuns(count, from);
  } finally {
    entry.stop();
  }
}

export class Scheduler {
  readonly #options: SchedulerOptions;
  readonly #crons = new Map<string, Cron>();
  readonly #running = new Map<string, Promise<void>>();
  readonly #writes = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  start(): void {
    for (const job of this.#options.jobs) {
      const cron = new Cron(job.cron, { timezone: job.timezone }, () => {
        if (this.#running.has(job.name)) this.#skipped(job);
        else void this.#run(job);
      });
      this.#crons.set(job.name, cron);
    }
    this.#announce();
  }

  /** The next run of each job (null once stopped). */
  next(): Record<string, Date | null> {
    return Object.fromEntries(
      this.#options.jobs.map((job) => [job.name, this.#crons.get(job.name)?.nextRun() ?? null]),
    );
  }

  /** True while any job runs. */
  get busy(): boolean {
    return this.#running.size > 0;
  }

  /** Resolves when every job-log write started so far has landed (tests step a fake clock). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }

  /** Stops scheduling, asks running jobs to stop after their current step, and waits for them. */
  async stop(): Promise<void> {
    for (const cron of this.#crons.values()) cron.stop();
    this.#crons.clear();
    this.#abort.abort();
    await Promise.all([...this.#running.values()]);
    await this.settled();
  }

  /** Names of the jobs running now (for a second SIGTERM's last words). */
  runningJobs(): string[] {
    return [...this.#running.keys()];
  }

  #announce(): void {
    this.#options.onNextRuns?.(this.next());
  }

  #write(promise: Promise<void>): void {
    const tracked = promise.catch((error: unknown) => {
      this.#options.reporter.warn(`could not write the job log: ${errorText(error)}`);
    });
    this.#writes.add(tracked);
    void tracked.finally(() => this.#writes.delete(tracked));
  }

  #skipped(job: ScheduledJob): void {
    const at = new Date();
    this.#options.reporter.warn(
      `${job.name}: skipped the run due at ${at.toISOString()}, the previous run is still going`,
    );
    this.#write(
      this.#options.log.record({
        job: job.name,
        startedAt: at,
        finishedAt: at,
        status: 'skipped',
        counts: {},
        error: 'the previous run was still going',
      }),
    );
    this.#announce();
  }

  async #run(job: ScheduledJob): Promise<void> {
    const startedAt = new Date();
    this.#options.reporter.info(`${job.name}: started`);
    const running = (async () => {
      let outcome: JobOutcome;
      try {
        outcome = await job.run(this.#abort.signal);
      } catch (error) {
        outcome = { status: 'failed', counts: {}, error: errorText(error, job.secrets) };
      }
      const line = `${job.name}: ${outcome.status}${outcome.error === null ? '' : ` (${outcome.error})`}`;
      if (outcome.status === 'ok') this.#options.reporter.info(line);
      else this.#options.reporter.warn(line);
      if (outcome.logged !== true) {
        const write = this.#options.log.record({
          job: job.name,
          startedAt,
          finishedAt: new Date(),
          status: outcome.status,
          counts: outcome.counts,
          error: outcome.error,
        });
        this.#write(write);
        await write.catch(() => undefined);
      }
    })();
    this.#running.set(job.name, running);
    try {
      await running;
    } finally {
      this.#running.delete(job.name);
      this.#announce();
    }
  }
}
