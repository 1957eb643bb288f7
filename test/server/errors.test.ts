/**
 * The error handler behind every route: a bug becomes a 500 whose body says nothing about it, and
 * whose log line carries the cause without any address in it.
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, expect, it } from 'vitest';
import { errorBodySchema } from '../../server/contract/api.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { recordingReporter } from '../../warehouse/reporter.ts';
import { send } from './helpers/http.ts';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closers.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

it('answers a bug with a generic 500 and logs its cause with addresses redacted', async () => {
  const reporter = recordingReporter();
  const app = express();
  app.get('/boom', () => {
    throw new Error(
      `Conversion Error: could not convert 'ada@example.com' to INT32\nLINE 1: SELECT`,
    );
  });
  app.use(errorHandler(reporter));
  const response = await send(`${await serve(app)}/boom`);
  expect(response.status).toBe(500);
  expect(errorBodySchema.parse(response.json())).toEqual({
    error: {
      code: 'internal',
      message: 'internal error: the server could not answer this request',
    },
  });
  expect(response.body).not.toMatch(/Conversion|ada|SELECT/);
  expect(reporter.warnings).toEqual([
    JSON.stringify({
      event: 'internal_error',
      error: "Error: Conversion Error: could not convert '[redacted]' to INT32",
    }),
  ]);
});

it('cuts a response short when it fails after it started, instead of ending it cleanly', async () => {
  const reporter = recordingReporter();
  const app = express();
  app.get('/stream', (_request, response, next) => {
    response.write('team,week_start\r\n');
    setTimeout(() => {
      next(new Error('the stream broke'));
    }, 10);
  });
  app.use(errorHandler(reporter));
  await expect(send(`${await serve(app)}/stream`)).rejects.toThrow();
  expect(reporter.warnings).toHaveLength(1);
});
