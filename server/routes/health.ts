/** `GET /api/health`: is the warehouse reachable, when was each source imported, when built. */
import type { Express } from 'express';
import { latestSchemaVersion } from '../../warehouse/migrate.ts';
import type { Health } from '../contract/api.ts';
import { latestWeek, type AppContext } from '../context.ts';
import { readHealthFacts } from '../queries/health.ts';

export function registerHealth(app: Express, context: AppContext): void {
  app.get('/api/health', async (_request, response) => {
    let body: Health;
    try {
      const facts = await readHealthFacts(context.db);
      const current =
        facts.schemaVersion === latestSchemaVersion() &&
        context.missingMarts.length === 0 &&
        context.staleBuild.length === 0;
      body = {
        status: current ? 'ok' : 'degraded',
        warehouse: { reachable: true, schema_version: facts.schemaVersion },
        sources: facts.sources,
        build: facts.build,
        latest_complete_week: context.missingMarts.length === 0 ? await latestWeek(context) : null,
      };
    } catch {
      body = {
        status: 'degraded',
        warehouse: { reachable: false, schema_version: null },
        sources: [],
        build: { built_at: null, models: 0, duration_ms: 0 },
        latest_complete_week: null,
      };
    }
    response.status(body.warehouse.reachable ? 200 : 503).json(body);
  });
}
