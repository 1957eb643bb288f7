/**
 * Every notebook executed by Debian's Jupyter (nbconvert) with the project's Deno kernel against
 * the demo warehouse: no cell may fail or print an error, the charts must be there in both forms,
 * no output may name a person, and the policy-impact notebook must give the demo's answer. The
 * kernel is installed into a temporary Jupyter folder, so this does not depend on
 * `npm run notebooks:setup`. Without Jupyter or Deno the suite skips loudly, unless
 * SYNCBALANCE_REQUIRE_NOTEBOOKS=1 (CI) makes that a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SVG_MIME, VEGA_LITE_MIME } from '../../notebooks/lib/charts.ts';
import {
  NOTEBOOKS,
  NOTEBOOKS_DIR,
  formatNotebook,
  installKernel,
  missingTools,
  nbconvert,
  notebookFiles,
  readNotebook,
  strip,
  type Notebook,
} from '../../notebooks/jupyter.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { buildDemoWarehouse, type DemoWarehouse } from '../server/helpers/demo.ts';

const required = process.env['SYNCBALANCE_REQUIRE_NOTEBOOKS'] === '1';
const missing = missingTools();
if (missing !== null && !required) {
  console.warn(`\n*** SKIPPING the notebook tests: ${missing} ***\n`);
}

/** Charts (vega-lite spec and SVG in one output) each notebook must show at least. */
const CHARTS: Record<(typeof NOTEBOOKS)[number], number> = {
  'team-trends.ipynb': 5,
  'policy-impact.ipynb': 2,
  'time-zone-overlap.ipynb': 2,
  'data-quality.ipynb': 3,
};

const outputSchema = z.looseObject({
  output_type: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  ename: z.string().optional(),
  evalue: z.string().optional(),
  name: z.string().optional(),
  text: z.union([z.string(), z.array(z.string())]).optional(),
});

function outputs(notebook: Notebook): z.infer<typeof outputSchema>[] {
  return notebook.cells.flatMap((cell) => z.array(outputSchema).parse(cell.outputs ?? []));
}

describe('committed notebooks', () => {
  it('are exactly the four analyst notebooks', () => {
    expect(notebookFiles()).toEqual([...NOTEBOOKS].sort());
  });

  it.each(NOTEBOOKS)(
    '%s has no outputs or execution counts (run npm run notebooks:strip)',
    (name) => {
      const notebook = readNotebook(join(NOTEBOOKS_DIR, name));
      expect(formatNotebook(notebook)).toBe(formatNotebook(strip(notebook)));
      expect(notebook.metadata).toMatchObject({
        kernelspec: { name: 'deno', language: 'typescript' },
      });
    },
  );

  it.each(NOTEBOOKS)('%s says at the top what it reads and that it shows no individual', (name) => {
    const first = readNotebook(join(NOTEBOOKS_DIR, name)).cells[0];
    const text = [first?.source ?? ''].flat().join('');
    expect(first?.cell_type).toBe('markdown');
    expect(text).toMatch(/\*\*What it reads:\*\*/);
    expect(text).toMatch(/\*\*Nothing here\s+shows an individual/);
  });
});

describe.skipIf(missing !== null && !required)('notebooks executed on the demo warehouse', () => {
  let demo: DemoWarehouse | undefined;
  let dataDir = '';
  const executed = new Map<string, Notebook>();
  const logs = new Map<string, string>();

  beforeAll(async () => {
    if (missing !== null) throw new Error(`SYNCBALANCE_REQUIRE_NOTEBOOKS=1, but ${missing}`);
    demo = await buildDemoWarehouse(defaultConfig(), 16);
    dataDir = mkdtempSync(join(tmpdir(), 'syncbalance-jupyter-'));
    installKernel(dataDir);
    const outputDir = join(dataDir, 'executed');
    // All four at once: each is mostly kernel start-up and waiting on DuckDB.
    await Promise.all(
      NOTEBOOKS.map(async (name) => {
        const result = await nbconvert(join(NOTEBOOKS_DIR, name), {
          dataDir,
          outputDir,
          to: 'notebook',
          env: { ...process.env, SYNCBALANCE_DB: demo?.path ?? '' },
        });
        logs.set(name, result.log);
        if (result.ok) executed.set(name, readNotebook(join(outputDir, name)));
      }),
    );
  }, 300_000);

  afterAll(() => {
    demo?.remove();
    if (dataDir !== '') rmSync(dataDir, { recursive: true, force: true });
  });

  function run(name: string): Notebook {
    const notebook = executed.get(name);
    if (notebook === undefined)
      throw new Error(`${name} failed to execute:\n${logs.get(name) ?? ''}`);
    return notebook;
  }

  it.each(NOTEBOOKS)('%s runs every cell without an error output', (name) => {
    const notebook = run(name);
    const errors = outputs(notebook).filter(
      (output) =>
        output.output_type === 'error' ||
        (output.output_type === 'stream' && output.name === 'stderr'),
    );
    expect(errors).toEqual([]);
    expect(
      notebook.cells
        .filter((cell) => cell.cell_type === 'code')
        .every((cell) => cell.execution_count !== null),
    ).toBe(true);
  });

  it.each(NOTEBOOKS)('%s shows its charts as vega-lite and as rendered SVG', (name) => {
    const charts = outputs(run(name)).filter(
      (output) => output.data?.[VEGA_LITE_MIME] !== undefined,
    );
    expect(charts.length).toBeGreaterThanOrEqual(CHARTS[name]);
    for (const output of charts) {
      expect(z.object({ $schema: z.string() }).parse(output.data?.[VEGA_LITE_MIME]).$schema).toBe(
        'https://vega.github.io/schema/vega-lite/v6.json',
      );
      expect(String(output.data?.[SVG_MIME])).toMatch(/^<svg[\s\S]*<path[\s\S]*<\/svg>$/);
    }
  });

  it.each(NOTEBOOKS)('%s outputs no email address or person id', (name) => {
    const text = JSON.stringify(outputs(run(name)));
    const leaked = (demo?.personal ?? []).filter((value) => text.includes(value));
    expect(leaked).toEqual([]);
  });

  const coefficient = z.object({ estimate: z.number(), low: z.number(), high: z.number() });
  const resultSchema = z.object({
    placebo: z.boolean().optional(),
    team: z.string(),
    metric: z.string(),
    changed: z.boolean().nullable(),
    effect: z.number().nullable(),
    its: z.object({ levelChange: coefficient, slopeChange: coefficient }),
    did: z.object({ effect: coefficient }),
  });

  function policyResults(): z.infer<typeof resultSchema>[] {
    return outputs(run('policy-impact.ipynb'))
      .filter((output) => output.data?.['application/json'] !== undefined)
      .map((output) => resultSchema.parse(output.data?.['application/json']));
  }

  it("finds Mobile's no-meeting Wednesday: meeting load down and focus time up, beyond the noise", () => {
    const results = policyResults().filter((result) => result.placebo !== true);
    const load = results.find((result) => result.metric === 'meeting_load_pct_median');
    const focus = results.find((result) => result.metric === 'focus_hours_median');
    expect(load).toMatchObject({ team: 'Engineering/Mobile', changed: true });
    expect(load?.did.effect.high).toBeLessThan(0);
    expect(load?.its.levelChange.estimate).toBeLessThan(0);
    expect(focus).toMatchObject({ team: 'Engineering/Mobile', changed: true });
    expect(focus?.did.effect.low).toBeGreaterThan(0);
    expect(focus?.its.levelChange.estimate).toBeGreaterThan(0);
  });

  it('finds no significant change for a team without the policy (the placebo)', () => {
    const placebos = policyResults().filter((result) => result.placebo === true);
    expect(placebos.map((result) => result.metric).sort()).toEqual([
      'focus_hours_median',
      'meeting_load_pct_median',
    ]);
    for (const result of placebos) {
      expect(result).toMatchObject({ team: 'Engineering/Data', changed: false });
      for (const c of [result.did.effect, result.its.levelChange, result.its.slopeChange]) {
        expect(c.low).toBeLessThan(0);
        expect(c.high).toBeGreaterThan(0);
      }
    }
  });
});
