/**
 * Several `syncbalance serve` processes on one published snapshot (behind a load balancer, or one
 * per region): both open it read-only at once, both answer from the same build, and both move to
 * a newer publish without a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { publishSnapshot } from '../../warehouse/publish.ts';
import { buildDemoWarehouse, type DemoWarehouse } from '../server/helpers/demo.ts';
import { send } from '../server/helpers/http.ts';
import { spawnCli, type CliChild } from './helpers.ts';

let demo: DemoWarehouse;
const servers: CliChild[] = [];

beforeAll(async () => {
  demo = await buildDemoWarehouse(parseConfig({}), 3);
}, 180_000);

afterAll(async () => {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
  demo.remove();
});

async function serve(): Promise<string> {
  const server = spawnCli(['--db', demo.path, 'serve', '--port', '0']);
  servers.push(server);
  await server.waitFor(/serving http:\/\/\S+:\d+/);
  const port = /serving http:\/\/\S+:(\d+)/.exec(server.stdout())?.[1] ?? '';
  return `http://127.0.0.1:${port}`;
}

async function servedBuild(url: string): Promise<string> {
  const response = await send(`${url}/api/overview`);
  expect(response.status).toBe(200);
  return response.header('x-syncbalance-build') ?? '';
}

describe('two serve processes on one snapshot', () => {
  it('both answer from the same build and both switch to the next publish', async () => {
    const [first, second] = await Promise.all([serve(), serve()]);
    const build = await servedBuild(first);
    expect(await servedBuild(second)).toBe(build);
    const one = await send(`${first}/api/teams`);
    const two = await send(`${second}/api/teams`);
    expect(two.body).toBe(one.body);

    const db = await Warehouse.open(demo.path);
    const next = await publishSnapshot(db, { keep: 3 });
    db.close();
    const deadline = Date.now() + 5_000;
    const seen = new Set<string>();
    while (Date.now() < deadline && seen.size < 2) {
      for (const url of [first, second])
        if ((await servedBuild(url)) === next.buildId) seen.add(url);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect([...seen].sort()).toEqual([first, second].sort());
  }, 120_000);
});
