/**
 * `npm start`: on the first run, generate the demo organisation into the default warehouse and
 * build it; then serve the dashboard. Later runs reuse the warehouse as it is.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DB } from './cli/context.ts';
import { main } from './cli/main.ts';

const database = resolve(process.env['SYNCBALANCE_DB'] ?? DEFAULT_DB);
if (!existsSync(database)) {
  process.stderr.write(`No warehouse at ${database} yet: generating the demo organisation…\n`);
  const code = await main(['demo']);
  if (code !== 0) process.exit(code);
}
process.exitCode = await main(['serve']);
