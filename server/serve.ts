/**
 * `syncbalance serve`: the API and dashboard on one port. The warehouse is opened read-only, so
 * several readers (an export, a notebook) can share the file while the server runs.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import { z } from 'zod';
import type { Config } from '../warehouse/config.ts';
import { Warehouse } from '../warehouse/db.ts';
import type { Reporter } from '../warehouse/reporter.ts';
import type { Environment } from '../warehouse/secrets.ts';

export interface ServerOptions {
  readonly config: Config;
  readonly env: Environment;
  readonly dbPath: string;
  readonly host: string;
  readonly port: number;
  readonly reporter: Reporter;
}

export interface RunningServer {
  readonly url: string;
  close(): Promise<void>;
  /** Settles when the server has stopped (on `close()`, SIGINT or SIGTERM). */
  readonly closed: Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  // Upgrade the schema if needed, then hold the file read-only.
  (await Warehouse.open(options.dbPath)).close();
  const db = await Warehouse.open(options.dbPath, { readOnly: true });

  const app = express();
  const listTeams = () =>
    db.parse(
      z.object({ team_path: z.string(), depth: z.number(), members_now: z.number() }),
      'SELECT team_path, depth::INTEGER AS depth, members_now FROM marts.teams ORDER BY team_path',
    );
  app.get('/api/teams', async (_request, response) => {
    response.json(await listTeams());
  });
  const webRoot = join(import.meta.dirname, '..', 'web', 'dist');
  if (existsSync(join(webRoot, 'index.html'))) {
    app.use(express.static(webRoot, { index: 'index.html' }));
  } else {
    app.get('/', (_request, response) => {
      response
        .type('text')
        .send(
          'The dashboard is not built yet: run `npm run build:web` (npm start does it for you).',
        );
    });
  }

  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host === '127.0.0.1' || host === '[::1]' ? 'localhost' : host}:${address.port}`;

  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const close = async (): Promise<void> => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
    db.close();
    resolveClosed();
  };
  const onSignal = (): void => {
    void close();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return { url, close, closed };
}
