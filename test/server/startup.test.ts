/**
 * Starting the server on warehouses that are not ready: a fresh one without built models (the
 * API explains what to run), an old schema version (upgraded once, then held read-only), and a
 * file another process is already reading.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorBodySchema, healthSchema } from '../../server/contract/api.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { latestSchemaVersion } from '../../warehouse/migrate.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { send } from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.server.close()));
});

async function start(dbPath: string, config: unknown = {}): Promise<TestServer> {
  const server = await startTestServer({ dbPath, config });
  running.push(server);
  return server;
}

describe('startServer', () => {
  it('serves a warehouse without models: health says degraded, data routes say what to run', async () => {
    const path = join(tempDir(), 'fresh.duckdb');
    const server = await start(path);
    expect(server.reporter.warnings.join('\n')).toMatch(/no built models.*syncbalance build/);
    const health = healthSchema.parse((await send(`${server.url}/api/health`)).json());
    expect(health).toMatchObject({
      status: 'degraded',
      warehouse: { reachable: true, schema_version: latestSchemaVersion() },
      sources: [],
      build: { built_at: null, models: 0 },
      latest_complete_week: null,
    });
    for (const route of ['/api/me', '/api/teams', '/api/overview']) {
      const response = await send(`${server.url}${route}`);
      expect(response.status).toBe(503);
      expect(errorBodySchema.parse(response.json()).error.message).toMatch(/syncbalance build/);
    }
  });

  it('refuses to show marts built with another minGroupSize than the configuration', async () => {
    const path = join(tempDir(), 'built.duckdb');
    const db = await Warehouse.open(path);
    await buildModels(db, defaultConfig());
    db.close();
    const server = await start(path, { minGroupSize: 8 });
    expect(server.reporter.warnings.join('\n')).toContain(
      'minGroupSize: built with 5, configured 8',
    );
    expect(healthSchema.parse((await send(`${server.url}/api/health`)).json()).status).toBe(
      'degraded',
    );
    const response = await send(`${server.url}/api/teams`);
    expect(response.status).toBe(503);
    expect(errorBodySchema.parse(response.json()).error.message).toMatch(
      /built with other settings .*minGroupSize: built with 5, configured 8.*syncbalance build/,
    );
  });

  it('upgrades an old schema once, then serves it read-only', async () => {
    const path = join(tempDir(), 'old.duckdb');
    (await Warehouse.open(path, { schemaVersion: 1 })).close();
    const server = await start(path);
    const health = healthSchema.parse((await send(`${server.url}/api/health`)).json());
    expect(health.warehouse.schema_version).toBe(latestSchemaVersion());
  });

  it('starts while another reader holds the warehouse, and leaves it readable', async () => {
    const path = join(tempDir(), 'shared.duckdb');
    (await Warehouse.open(path)).close();
    const reader = await Warehouse.open(path, { readOnly: true });
    try {
      const server = await start(path);
      expect((await send(`${server.url}/api/health`)).status).toBe(200);
      expect(await reader.one('SELECT 1 AS one')).toEqual({ one: 1 });
    } finally {
      reader.close();
    }
  });
});
