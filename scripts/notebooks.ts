/**
 * The notebooks' npm scripts (notebooks/README.md):
 *   setup          install the Deno kernel into .jupyter/ (nothing in your home folder)
 *   start          start JupyterLab, or the classic notebook, with that kernel
 *   html           execute every notebook and render it to notebooks/html/ (ignored by git)
 *   strip [--check] remove outputs and execution counts from the committed notebooks
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_DATA_DIR,
  NOTEBOOKS_DIR,
  formatNotebook,
  installKernel,
  jupyterEnv,
  kernelInstalled,
  missingTools,
  nbconvert,
  notebookFiles,
  readNotebook,
  strip,
} from '../notebooks/jupyter.ts';

const HTML_DIR = join(NOTEBOOKS_DIR, 'html');

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function has(command: string): boolean {
  return spawnSync('jupyter', [command, '--version'], { encoding: 'utf8' }).status === 0;
}

function setup(): void {
  const folder = installKernel(DEFAULT_DATA_DIR);
  process.stdout.write(`Installed the Deno kernel in ${folder}\n`);
}

function start(): void {
  if (!kernelInstalled(DEFAULT_DATA_DIR)) setup();
  const front = ['lab', 'notebook'].find(has);
  if (front === undefined) {
    fail(
      'Neither JupyterLab nor the classic notebook is installed. Install one (Debian: apt-get install jupyter-notebook; or pipx install jupyterlab), or open notebooks/ in VS Code with the Jupyter extension and pick the "Deno (syncbalance)" kernel (see notebooks/README.md).',
      2,
    );
  }
  const result = spawnSync('jupyter', [front, '--notebook-dir', NOTEBOOKS_DIR], {
    env: jupyterEnv(DEFAULT_DATA_DIR),
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
}

async function html(): Promise<void> {
  const missing = missingTools();
  if (missing !== null) fail(missing);
  if (!kernelInstalled(DEFAULT_DATA_DIR)) setup();
  mkdirSync(HTML_DIR, { recursive: true });
  let failed = 0;
  for (const name of notebookFiles()) {
    const result = await nbconvert(join(NOTEBOOKS_DIR, name), {
      dataDir: DEFAULT_DATA_DIR,
      outputDir: HTML_DIR,
      to: 'html',
    });
    if (result.ok) process.stdout.write(`${join(HTML_DIR, name.replace(/\.ipynb$/, '.html'))}\n`);
    else {
      failed++;
      process.stderr.write(`${name} failed:\n${result.log}\n`);
    }
  }
  if (failed > 0) fail(`${failed} notebook(s) failed`);
}

function stripAll(check: boolean): void {
  const dirty: string[] = [];
  for (const name of notebookFiles()) {
    const file = join(NOTEBOOKS_DIR, name);
    const before = readNotebook(file);
    const after = formatNotebook(strip(before));
    if (after !== formatNotebook(before) || !existsSync(file)) dirty.push(name);
    if (!check) writeFileSync(file, after);
  }
  if (check && dirty.length > 0)
    fail(`notebooks with outputs: ${dirty.join(', ')} (run npm run notebooks:strip)`);
  process.stdout.write(
    check ? 'notebooks are stripped\n' : `stripped ${notebookFiles().length} notebooks\n`,
  );
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'setup':
    setup();
    break;
  case 'start':
    start();
    break;
  case 'html':
    await html();
    break;
  case 'strip':
    stripAll(rest.includes('--check'));
    break;
  default:
    fail('usage: node scripts/notebooks.ts setup|start|html|strip [--check]', 2);
}
