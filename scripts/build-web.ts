/**
 * Builds the dashboard (web/ → web/dist) with Vite and prints how much JavaScript a browser
 * downloads, gzipped: the first page (overview) and the parts loaded on demand (team page, Data page).
 * `--if-stale` skips the build when web/dist is newer than every source it is made from, so
 * `npm start` stays fast after the first run.
 *
 * Importable too: the browser tests build into a temporary folder with `buildDashboard`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(import.meta.dirname, '..');
const configFile = join(root, 'web', 'vite.config.ts');
export const DEFAULT_OUT_DIR = join(root, 'web', 'dist');
const sources = [
  join(root, 'web', 'src'),
  join(root, 'web', 'index.html'),
  configFile,
  join(root, 'server', 'contract'),
  join(root, 'docs', 'metrics.md'),
];

function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newestModification(join(path, entry))));
}

export function isUpToDate(outDir = DEFAULT_OUT_DIR): boolean {
  const output = join(outDir, 'index.html');
  return (
    existsSync(output) && statSync(output).mtimeMs >= Math.max(...sources.map(newestModification))
  );
}

export async function buildDashboard(outDir = DEFAULT_OUT_DIR): Promise<void> {
  // Inside a test runner NODE_ENV is 'test', which would make Vite bundle React's development
  // build; the browser tests must see exactly what users get.
  const nodeEnv = process.env['NODE_ENV'];
  process.env['NODE_ENV'] = 'production';
  try {
    // Stated here as well as in the config, so no config change can ship source maps to users.
    await build({
      configFile,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, sourcemap: false },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = nodeEnv;
  }
}

export interface BundleSize {
  /** Gzipped bytes of the JavaScript the first page loads (entry and its static imports). */
  readonly initialJs: number;
  /** Gzipped bytes of JavaScript loaded on demand (the team page and its charts). */
  readonly lazyJs: number;
  readonly css: number;
}

/** Sizes as a browser receives them: gzip at the level web servers commonly use (6). */
export function measureBundle(outDir = DEFAULT_OUT_DIR): BundleSize {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const loadedByHtml = new Set(
    [...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((match) => match[1]),
  );
  const gzipped = (file: string) =>
    gzipSync(readFileSync(join(outDir, 'assets', file)), { level: 6 }).length;
  let initialJs = 0;
  let lazyJs = 0;
  let css = 0;
  for (const file of readdirSync(join(outDir, 'assets'))) {
    if (file.endsWith('.css')) css += gzipped(file);
    else if (file.endsWith('.js')) {
      if (loadedByHtml.has(file)) initialJs += gzipped(file);
      else lazyJs += gzipped(file);
    }
  }
  return { initialJs, lazyJs, css };
}

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} kB`;
}

export function describeBundle({ initialJs, lazyJs, css }: BundleSize): string {
  return (
    `Dashboard JavaScript, gzipped: ${kilobytes(initialJs + lazyJs)} in all ` +
    `(${kilobytes(initialJs)} for the first page, ${kilobytes(lazyJs)} more loaded on demand: team and Data pages); ` +
    `CSS ${kilobytes(css)}.`
  );
}

if (import.meta.main) {
  if (process.argv.includes('--if-stale') && isUpToDate()) process.exit(0);
  process.stderr.write('Building the dashboard (web/dist)…\n');
  await buildDashboard();
  process.stdout.write(`${describeBundle(measureBundle())}\n`);
}
