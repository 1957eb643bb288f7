/**
 * `npm start`: on the first run, generate the demo organisation into the default warehouse, build
 * and publish it; then serve the dashboard from the published build. Later runs reuse what is
 * there (publishing first if a warehouse was built but never published).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCurrent } from '../warehouse/snapshot.ts';
import { DEFAULT_DB } from './cli/context.ts';
import { main } from './cli/main.ts';

const database = resolve(process.env['SYNCBALANCE_DB'] ?? DEFAULT_DB);
if (!existsSync(database)) {
  process.stderr.write(`No warehouse at ${database} yet: generating the demo organisation…\n`);
  const code = await main(['demo']);
  if (code !== 0) process.exit(code);
} else if (readCurrent(database) === null) {
  process.stderr.write(`Nothing published from ${database} yet: publishing its build…\n`);
  const code = await main(['publish']);
  if (code !== 0) process.exit(code);
}
process.exitCode = await main(['serve']);
