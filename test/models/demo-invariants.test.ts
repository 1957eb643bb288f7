/**
 * Every model's invariants (unique key, not null, accepted values, ranges, expressions from its
 * .yml) on realistic data: the demo organisation, where every model has rows to check.
 */
import { describe, expect, it } from 'vitest';
import { generateDemo } from '../../ingest/demo/generate.ts';
import { buildModels } from '../../warehouse/build.ts';
import { checksFor, runChecks } from '../../warehouse/checks.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { loadModels } from '../../warehouse/models.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';

describe('model invariants on the demo organisation', () => {
  it('hold for every model, each of which has rows and checks', async () => {
    const db = await tempWarehouse();
    await generateDemo(db, testPseudonymizer, {
      seed: 42,
      lastWeek: '2026-11-09',
      weeks: 8,
      reporter: silentReporter,
    });
    const result = await buildModels(db, defaultConfig(), { skipChecks: true });
    const models = loadModels();
    expect(result.models.map((model) => model.model).sort()).toEqual(
      models.map((model) => model.name).sort(),
    );
    expect(result.models.filter((model) => model.rows === 0)).toEqual([]);
    for (const model of models)
      expect(checksFor(model).length, model.name).toBeGreaterThanOrEqual(2);
    expect(await runChecks(db, models)).toEqual([]);
  });
});
