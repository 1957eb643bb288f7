/**
 * What `/api/health` reports from the request's snapshot: the import log and the last model
 * build. The job state (latest runs, next refresh, staleness) is `readJobState` of
 * warehouse/job-log.ts.
 */
import { z } from 'zod';
import type { Warehouse } from '../../warehouse/db.ts';
import { schemaVersion } from '../../warehouse/migrate.ts';

export interface HealthFacts {
  readonly schemaVersion: number;
  readonly sources: { source: string; last_import_at: string }[];
  readonly build: { built_at: string | null; models: number; duration_ms: number };
}

const ISO_INSTANT = `'%Y-%m-%dT%H:%M:%S.%gZ'`;

export async function readHealthFacts(db: Warehouse): Promise<HealthFacts> {
  const sources = await db.parse(
    z.object({ source: z.string(), last_import_at: z.string() }),
    `SELECT source, strftime(max(finished_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS last_import_at
     FROM meta.import_runs GROUP BY source ORDER BY source`,
  );
  const [build] = await db.parse(
    z.object({
      built_at: z.string().nullable(),
      models: z.number().int(),
      duration_ms: z.number(),
    }),
    `SELECT strftime(max(built_at) AT TIME ZONE 'UTC', ${ISO_INSTANT}) AS built_at,
            count(*)::INTEGER AS models, coalesce(sum(duration_ms), 0)::DOUBLE AS duration_ms
     FROM meta.model_builds`,
  );
  return {
    schemaVersion: await schemaVersion(db),
    sources,
    build: build ?? { built_at: null, models: 0, duration_ms: 0 },
  };
}

// The job state moved to the warehouse, where `syncbalance status` and the Data page read it too.
export { readJobState, type JobState } from '../../warehouse/job-log.ts';
