/**
 * Requests at the edges of what the API accepts: dates outside the range the contract allows are
 * a 400 (not a 500 from the database), and a URL too long for the server is answered with a status
 * (431), not a connection reset.
 */
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../server/contract/api.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { send } from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let server: TestServer;

beforeAll(async () => {
  const path = join(tempDir(), 'empty.duckdb');
  const db = await Warehouse.open(path);
  await buildModels(db, defaultConfig());
  db.close();
  server = await startTestServer({ dbPath: path });
});

afterAll(async () => {
  await server.server.close();
});

/**
 * Writes `head`, then `chunk` `times` times a few milliseconds apart, like a client on a slow
 * link, and returns everything received. A reset before any answer rejects.
 */
function slowRequest(url: string, head: string, chunk: string, times: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => (received += data));
    socket.on('error', (error) => {
      reject(new Error(`${error.message} after receiving ${JSON.stringify(received)}`));
    });
    socket.on('close', () => {
      resolve(received);
    });
    socket.write(head);
    let sent = 0;
    const timer = setInterval(() => {
      sent += 1;
      if (sent > times || socket.destroyed) {
        clearInterval(timer);
        socket.end();
        return;
      }
      socket.write(chunk);
    }, 2);
  });
}

describe('request limits', () => {
  it.each([
    ['from=0001-01-01', 'from'],
    ['to=9999-12-31', 'to'],
    ['from=1999-12-31&to=2026-01-01', 'from'],
  ])('answers /api/export.csv?%s with 400 naming the parameter', async (query, parameter) => {
    const response = await send(`${server.url}/api/export.csv?${query}`);
    expect(response.status).toBe(400);
    const body = errorBodySchema.parse(response.json());
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(
      new RegExp(`^${parameter}: expected a date from 2000-01-01 to 2099-12-31`),
    );
  });

  it('answers a 100 KB URL with 431 instead of resetting the connection (Node http client)', async () => {
    const response = await send(`${server.url}/api/teams?${'a'.repeat(100_000)}`);
    expect(response.status).toBe(431);
    expect(errorBodySchema.parse(response.json()).error.message).toMatch(/too long/);
  });

  it('answers 431 to a client still sending its long request line (raw socket, 1 KB at a time)', async () => {
    const response = await slowRequest(server.url, 'GET /api/teams?', 'a'.repeat(1_000), 100);
    expect(response).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
  });
});
