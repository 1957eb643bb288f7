/**
 * What a build costs model by model: a reporter whose progress counter records, each time the
 * build finishes a model, the CPU time the process spent on it (DuckDB's threads included: they
 * run in this process) and the highest resident memory sampled while it ran.
 */
import { silentReporter, type Reporter } from '../warehouse/reporter.ts';

export interface ModelCost {
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
}

const SAMPLE_MS = 20;

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** A reporter for `buildModels` and the costs it collects, one per model in build order. */
export function costProbe(): { reporter: Reporter; costs: ModelCost[]; stop: () => void } {
  const costs: ModelCost[] = [];
  let cpuStart = process.cpuUsage();
  let peak = process.memoryUsage.rss();
  // DuckDB runs queries on its own threads, so the event loop is free to sample while one runs.
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  const reporter: Reporter = {
    ...silentReporter,
    progress: () => ({
      advance() {
        peak = Math.max(peak, process.memoryUsage.rss());
        costs.push({ cpuSeconds: cpuSecondsSince(cpuStart), peakRssMiB: peak / 2 ** 20 });
        cpuStart = process.cpuUsage();
        peak = process.memoryUsage.rss();
      },
      done() {},
    }),
  };
  return {
    reporter,
    costs,
    stop: () => {
      clearInterval(sampler);
    },
  };
}

/** Wall and CPU seconds of one piece of work. */
export async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; wallSeconds: number; cpuSeconds: number }> {
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  return {
    value,
    wallSeconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSecondsSince(cpuStart),
  };
}
