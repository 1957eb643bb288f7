/**
 * `GET /api/health`: which build is served (its id, when it was built and published), whether it
 * is complete and current, when each source was imported, the latest run of each job, the next
 * scheduled refresh, and a staleness warning when a refresh, build or publish has failed since.
 * 503 before anything is published, so a load balancer sends no traffic to an empty server.
 */
import type { Express } from 'express';
import { latestSchemaVersion } from '../../warehouse/migrate.ts';
import type { Health } from '../contract/api.ts';
import { latestWeek, type AppContext } from '../context.ts';
import { readHealthFacts, readJobState } from '../queries/health.ts';

export function registerHealth(app: Express, context: AppContext): void {
  app.get('/api/health', async (_request, response) => {
    const build = context.build;
    const state = readJobState(context.dbPath, build?.publishedAt ?? null);
    const live = {
      snapshot:
        build === null
          ? null
          : { build_id: build.buildId, built_at: build.builtAt, published_at: build.publishedAt },
      next_refresh_at: state.nextRefreshAt,
      stale: state.stale,
      jobs: state.jobs.map((job) => ({
        job: job.job,
        status: job.status,
        started_at: job.started_at,
        finished_at: job.finished_at,
        error: job.error,
        next_run_at: job.next_run_at,
      })),
    };
    let body: Health;
    try {
      const facts = await readHealthFacts(context.db);
      const current =
        facts.schemaVersion === latestSchemaVersion() &&
        context.missingMarts.length === 0 &&
        context.staleBuild.length === 0 &&
        state.stale === null;
      body = {
        status: current ? 'ok' : 'degraded',
        warehouse: { reachable: true, schema_version: facts.schemaVersion },
        sources: facts.sources,
        build: facts.build,
        latest_complete_week: context.missingMarts.length === 0 ? await latestWeek(context) : null,
        ...live,
      };
    } catch {
      body = {
        status: 'degraded',
        warehouse: { reachable: false, schema_version: null },
        sources: [],
        build: { built_at: null, models: 0, duration_ms: 0 },
        latest_complete_week: null,
        ...live,
      };
    }
    response.status(body.warehouse.reachable ? 200 : 503).json(body);
  });
}
