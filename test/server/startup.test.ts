/**
 * Starting the server before it has anything to show: nothing published yet (the API explains
 * what to run, then shows the first build once it is published, without a restart), a build made
 * with other settings than the configuration, and a writer holding the working warehouse the
 * whole time (the server never opens it).
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorBodySchema, healthSchema } from '../../server/contract/api.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { latestSchemaVersion } from '../../warehouse/migrate.ts';
import { publishSnapshot } from '../../warehouse/publish.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { send } from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.server.close()));
});

async function start(dbPath: string, config: unknown = {}): Promise<TestServer> {
  const server = await startTestServer({ dbPath, config, pollMs: 100 });
  running.push(server);
  return server;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('startServer', () => {
  it('serves nothing before a publish, says what to run, then shows the first publish without a restart', async () => {
    const path = join(tempDir(), 'fresh.duckdb');
    const server = await start(path);
    expect(server.reporter.warnings.join('\n')).toMatch(
      /no build has been published.*syncbalance build/,
    );
    const response = await send(`${server.url}/api/health`);
    expect(response.status).toBe(503);
    expect(response.header('x-syncbalance-build')).toBe('none');
    expect(healthSchema.parse(response.json())).toMatchObject({
      status: 'degraded',
      warehouse: { reachable: false, schema_version: null },
      snapshot: null,
      latest_complete_week: null,
    });
    for (const route of ['/api/me', '/api/teams', '/api/overview']) {
      const unavailable = await send(`${server.url}${route}`);
      expect(unavailable.status).toBe(503);
      expect(errorBodySchema.parse(unavailable.json()).error.message).toMatch(/syncbalance build/);
    }

    const db = await Warehouse.open(path);
    await buildModels(db, defaultConfig());
    const published = await publishSnapshot(db, { keep: 2 });
    db.close();
    const health = await eventually(
      () => send(`${server.url}/api/health`),
      (answer) => answer.status === 200,
    );
    expect(health.header('x-syncbalance-build')).toBe(published.buildId);
    expect(healthSchema.parse(health.json())).toMatchObject({
      warehouse: { reachable: true, schema_version: latestSchemaVersion() },
      snapshot: { build_id: published.buildId },
    });
    expect((await send(`${server.url}/api/teams`)).status).toBe(200);
  });

  it('refuses to show marts built with another minGroupSize than the configuration', async () => {
    const path = join(tempDir(), 'built.duckdb');
    const db = await Warehouse.open(path);
    await buildModels(db, defaultConfig());
    await publishSnapshot(db, { keep: 2 });
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

  it('starts and answers while a writer holds the working warehouse', async () => {
    const path = join(tempDir(), 'held.duckdb');
    const writer = await Warehouse.open(path);
    try {
      await buildModels(writer, defaultConfig());
      const published = await publishSnapshot(writer, { keep: 2 });
      const server = await start(path);
      const response = await send(`${server.url}/api/teams`);
      expect(response.status).toBe(200);
      expect(response.header('x-syncbalance-build')).toBe(published.buildId);
      // The writer is not disturbed: it can still write.
      await writer.run('CREATE TABLE raw.still_writable AS SELECT 1 AS one');
    } finally {
      writer.close();
    }
  });
});
