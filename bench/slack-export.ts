/**
 * Import throughput of `syncbalance import slack-export`: generates a synthetic export of about a
 * million messages as a ZIP in a temporary folder, imports it with the real CLI into a fresh
 * warehouse in a child process, and prints messages per second and the child's peak RSS.
 *
 *   node bench/slack-export.ts [--messages 1000000] [--folder]
 *
 * `--folder` also times the import of the unpacked folder.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ResourceUsage } from '../test/slack-export/resource-usage.ts';
import {
  planExport,
  shapeFor,
  writeExportFolder,
  writeExportZip,
} from '../test/slack-export/generate-export.ts';

const REPO_ROOT = join(import.meta.dirname, '..');
const RESOURCE_USAGE = join(REPO_ROOT, 'test', 'slack-export', 'resource-usage.ts');

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    folder: { type: 'boolean', default: false },
  },
});
const target = Number(values.messages);

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

interface ImportRun extends ResourceUsage {
  readonly seconds: number;
  readonly stdout: string;
}

async function importWithCli(path: string, work: string, name: string): Promise<ImportRun> {
  const db = join(work, `${name}.duckdb`);
  const usageFile = join(work, `${name}.usage.json`);
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{
    code: number;
    stdout: string;
    stderr: string;
  }>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'scripts', 'syncbalance.js'), '--db', db, 'import', 'slack-export', path],
      {
        env: {
          ...process.env,
          CI: 'true',
          SYNCBALANCE_SALT: 'bench-salt-0123456789abcdef',
          SYNCBALANCE_RESOURCE_USAGE_FILE: usageFile,
          NODE_OPTIONS: `--import=${pathToFileURL(RESOURCE_USAGE).href}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (exit) => {
      resolve({ code: exit ?? -1, stdout: out, stderr: err });
    });
  });
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`import failed (exit ${code}): ${stderr}`);
  return { seconds, stdout, ...(JSON.parse(readFileSync(usageFile, 'utf8')) as ResourceUsage) };
}

const work = mkdtempSync(join(tmpdir(), 'syncbalance-bench-slack-'));
try {
  const plan = planExport(shapeFor(target));
  const zip = join(work, 'export.zip');
  const started = performance.now();
  const jsonBytes = await writeExportZip(plan, zip);
  console.log(
    `generated ${plan.messages.toLocaleString('en-US')} messages (+${plan.joinEvents.toLocaleString('en-US')} join events) in ` +
      `${plan.dayFiles.toLocaleString('en-US')} day files of ${plan.conversations} conversations: ` +
      `${mb(jsonBytes)} of JSON, ZIP of ${mb(statSync(zip).size)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const sources: [string, string][] = [['zip', zip]];
  if (values.folder) {
    const folder = join(work, 'export');
    writeExportFolder(plan, folder);
    sources.push(['folder', folder]);
  }
  for (const [name, path] of sources) {
    const run = await importWithCli(path, work, name);
    console.log(run.stdout.trim());
    console.log(
      `${name}: ${run.seconds.toFixed(1)} s, ${Math.round(plan.messages / run.seconds).toLocaleString('en-US')} messages/s, ${run.cpuSeconds.toFixed(1)} s of CPU, peak RSS ${mb(run.peakRssBytes)}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
