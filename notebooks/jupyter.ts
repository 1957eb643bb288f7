/**
 * Jupyter plumbing for the notebooks, run by Node.js (`scripts/notebooks.ts` and the tests): the
 * project-local Deno kernel, executing and rendering notebooks with nbconvert, stripping outputs.
 *
 * Everything Jupyter and Deno write goes under one data folder (`.jupyter/` in the repository by
 * default, a temporary folder in tests), never the user's home: `deno jupyter --install` ignores
 * JUPYTER_DATA_DIR and writes to `$XDG_DATA_HOME/jupyter/kernels`, so it runs with XDG_DATA_HOME
 * pointed at a scratch folder and the kernel spec is moved into place.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const NOTEBOOKS_DIR = join(ROOT, 'notebooks');
export const DEFAULT_DATA_DIR = join(ROOT, '.jupyter');
/** The name Deno's own `deno jupyter --install` uses, so the notebooks also open with a user's global Deno kernel. */
export const KERNEL_NAME = 'deno';
export const DENO = join(ROOT, 'node_modules', '.bin', 'deno');

export const NOTEBOOKS = [
  'team-trends.ipynb',
  'policy-impact.ipynb',
  'time-zone-overlap.ipynb',
  'data-quality.ipynb',
] as const;

/** Environment for Jupyter and the kernel with every folder inside `dataDir`. */
export function jupyterEnv(
  dataDir: string,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    JUPYTER_DATA_DIR: dataDir,
    JUPYTER_PATH: [dataDir, base['JUPYTER_PATH']].filter(Boolean).join(delimiter),
    JUPYTER_RUNTIME_DIR: join(dataDir, 'runtime'),
    JUPYTER_CONFIG_DIR: join(dataDir, 'config'),
    IPYTHONDIR: join(dataDir, 'ipython'),
  };
}

const kernelSpecSchema = z.looseObject({
  argv: z.array(z.string()).min(1),
  display_name: z.string(),
  language: z.string(),
  env: z.record(z.string(), z.string()).optional(),
});

/** Installs the Deno kernel spec into `dataDir/kernels/deno` and returns its folder. */
export function installKernel(dataDir: string): string {
  const scratch = mkdtempSync(join(tmpdir(), 'syncbalance-kernel-'));
  try {
    const result = spawnSync(
      DENO,
      ['jupyter', '--install', '--force', '--name', KERNEL_NAME, '--display', 'Deno (syncbalance)'],
      {
        env: { ...process.env, XDG_DATA_HOME: scratch, DENO_NO_UPDATE_CHECK: '1' },
        encoding: 'utf8',
      },
    );
    if (result.status !== 0) {
      throw new Error(
        `deno jupyter --install failed: ${result.error?.message ?? result.stderr.trim()}`,
      );
    }
    const installed = join(scratch, 'jupyter', 'kernels', KERNEL_NAME);
    const target = join(dataDir, 'kernels', KERNEL_NAME);
    rmSync(target, { recursive: true, force: true });
    mkdirSync(join(dataDir, 'kernels'), { recursive: true });
    renameSync(installed, target);
    const specFile = join(target, 'kernel.json');
    const spec = kernelSpecSchema.parse(JSON.parse(readFileSync(specFile, 'utf8')));
    // Deno's module cache stays in the data folder too; the kernel must never look for updates.
    spec.env = {
      ...spec.env,
      DENO_DIR: join(dataDir, 'deno'),
      DENO_NO_UPDATE_CHECK: '1',
      NO_COLOR: '1',
    };
    writeFileSync(specFile, `${JSON.stringify(spec, null, 2)}\n`);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function kernelInstalled(dataDir: string): boolean {
  return existsSync(join(dataDir, 'kernels', KERNEL_NAME, 'kernel.json'));
}

/** What is missing to execute notebooks here, or null when Jupyter's nbconvert and Deno both run. */
export function missingTools(): string | null {
  const deno = spawnSync(DENO, ['--version'], { encoding: 'utf8' });
  if (deno.status !== 0) return `deno does not run (${DENO}): run npm install`;
  const nbconvert = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (nbconvert.status !== 0) {
    return 'jupyter nbconvert is not installed (Debian: apt-get install jupyter-nbconvert jupyter-client python3-nbclient jupyter-core python3-ipykernel)';
  }
  return null;
}

export interface NbconvertOptions {
  readonly dataDir: string;
  readonly outputDir: string;
  readonly to: 'notebook' | 'html';
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutSeconds?: number;
}

/** Executes a notebook with nbconvert (a cell that throws fails it) into `outputDir`. */
export function nbconvert(
  notebook: string,
  options: NbconvertOptions,
): Promise<{ ok: boolean; log: string }> {
  const child = spawn(
    'jupyter',
    [
      'nbconvert',
      `--to=${options.to}`,
      ...(options.to === 'html'
        ? [`--template-file=${join(NOTEBOOKS_DIR, 'templates', 'html.j2')}`]
        : []),
      '--execute',
      `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
      `--ExecutePreprocessor.timeout=${options.timeoutSeconds ?? 300}`,
      // nbclient waits only 4 s for a cell's outputs after the kernel says it is done; on a busy
      // machine the Deno kernel's display messages can come later and were silently dropped.
      '--ExecutePreprocessor.iopub_timeout=60',
      `--output-dir=${options.outputDir}`,
      notebook,
    ],
    // The kernel starts in the notebook's folder, where deno.json resolves bare specifiers from node_modules.
    {
      env: jupyterEnv(options.dataDir, options.env),
      cwd: NOTEBOOKS_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  return new Promise((resolve) => {
    child.on('error', (error) => {
      resolve({ ok: false, log: `${log}${error.message}` });
    });
    child.on('close', (code) => {
      resolve({ ok: code === 0, log });
    });
  });
}

const cellSchema = z.looseObject({
  cell_type: z.string(),
  source: z.union([z.string(), z.array(z.string())]),
  metadata: z.record(z.string(), z.unknown()).optional(),
  outputs: z.array(z.unknown()).optional(),
  execution_count: z.number().nullable().optional(),
});

export const notebookSchema = z.looseObject({
  cells: z.array(cellSchema),
  metadata: z.record(z.string(), z.unknown()),
  nbformat: z.number(),
  nbformat_minor: z.number(),
});

export type Notebook = z.infer<typeof notebookSchema>;

export function readNotebook(file: string): Notebook {
  return notebookSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

/** The notebook without outputs, execution counts or per-run metadata, as it is committed. */
export function strip(notebook: Notebook): Notebook {
  return {
    ...notebook,
    cells: notebook.cells.map((cell) => {
      const metadata = Object.fromEntries(
        Object.entries(cell.metadata ?? {}).filter(
          ([key]) => key !== 'execution' && key !== 'collapsed',
        ),
      );
      return cell.cell_type === 'code'
        ? { ...cell, metadata, outputs: [], execution_count: null }
        : { ...cell, metadata };
    }),
  };
}

export function formatNotebook(notebook: Notebook): string {
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

/** The committed notebooks, by file name. */
export function notebookFiles(): string[] {
  return readdirSync(NOTEBOOKS_DIR)
    .filter((name) => name.endsWith('.ipynb'))
    .sort();
}
