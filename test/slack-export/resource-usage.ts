/**
 * Preloaded into a child process (`NODE_OPTIONS=--import=…/resource-usage.ts`) to record, when it
 * exits, its peak resident memory (DuckDB's native allocations included) and CPU time as JSON in
 * the file named by `SYNCBALANCE_RESOURCE_USAGE_FILE`. Measures the real CLI without changing it.
 */
import { writeFileSync } from 'node:fs';

export interface ResourceUsage {
  readonly peakRssBytes: number;
  readonly cpuSeconds: number;
}

const target = process.env['SYNCBALANCE_RESOURCE_USAGE_FILE'];
if (target !== undefined && target !== '') {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    const report: ResourceUsage = {
      // maxRSS is in kilobytes, CPU times in microseconds.
      peakRssBytes: usage.maxRSS * 1024,
      cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    };
    writeFileSync(target, JSON.stringify(report));
  });
}
