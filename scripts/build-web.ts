/**
 * Builds the dashboard (web/ → web/dist) with Vite. `--if-stale` skips the build when web/dist is
 * newer than every source it is made from, so `npm start` stays fast after the first run.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

const root = join(import.meta.dirname, '..');
const output = join(root, 'web', 'dist', 'index.html');
const sources = [
  join(root, 'web', 'src'),
  join(root, 'web', 'index.html'),
  join(root, 'web', 'vite.config.ts'),
  join(root, 'server', 'contract'),
  join(root, 'docs', 'metrics.md'),
];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

const ifStale = process.argv.includes('--if-stale');
const upToDate =
  existsSync(output) && statSync(output).mtimeMs >= Math.max(...sources.map(newestModification));
if (ifStale && upToDate) process.exit(0);

process.stderr.write('Building the dashboard (web/dist)…\n');
await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
