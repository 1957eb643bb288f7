/**
 * The sources a refresh runs and the report job the scheduler runs, registered at start-up by
 * `wiring.ts`. Tests pass their own lists instead of registering.
 */
import type { ReportJob, Source } from './types.ts';

const sources: Source[] = [];
let reportJob: ReportJob | null = null;

/** Adds a source to every refresh, after those registered before it. */
export function registerSource(source: Source): void {
  if (sources.some((known) => known.name === source.name))
    throw new Error(`a source named ${source.name} is already registered`);
  sources.push(source);
}

export function registeredSources(): readonly Source[] {
  return sources;
}

/** Sets the job behind `schedule.report` (the weekly email). */
export function registerReportJob(job: ReportJob): void {
  reportJob = job;
}

export function registeredReportJob(): ReportJob | null {
  return reportJob;
}
