/**
 * The demo organisation as a real warehouse file, generated, built and published once per test
 * file (in
 * `beforeAll`; the caller removes it in `afterAll`), plus what the privacy checks look for: every
 * roster email address and pseudonymous person id.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { generateDemo } from '../../../ingest/demo/generate.ts';
import { buildModels } from '../../../warehouse/build.ts';
import type { Config } from '../../../warehouse/config.ts';
import { Warehouse } from '../../../warehouse/db.ts';
import { publishSnapshot } from '../../../warehouse/publish.ts';
import { silentReporter } from '../../../warehouse/reporter.ts';
import { testPseudonymizer } from '../../helpers/warehouse.ts';

export const DEMO_SEED = 42;
export const DEMO_LAST_WEEK = '2026-11-09';
/** A Tuesday in the week after the last demo week: that week is the latest complete one. */
export const DEMO_NOW = new Date('2026-11-17T12:00:00Z');

export interface DemoWarehouse {
  readonly dir: string;
  readonly path: string;
  /** Strings that must never appear in a response or a log line. */
  readonly personal: readonly string[];
  remove(): void;
}

export async function buildDemoWarehouse(config: Config, weeks: number): Promise<DemoWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'syncbalance-server-'));
  const path = join(dir, 'demo.duckdb');
  const db = await Warehouse.open(path);
  try {
    await generateDemo(db, testPseudonymizer, {
      seed: DEMO_SEED,
      lastWeek: DEMO_LAST_WEEK,
      weeks,
      reporter: silentReporter,
    });
    await buildModels(db, config);
    // The server reads the published snapshot, never the working warehouse.
    await publishSnapshot(db, { keep: 3 });
    // Names are not stored at all (the roster's name column is not kept), so emails and person
    // ids are what could identify someone.
    const people = await db.parse(
      z.object({ email: z.string(), person_id: z.string() }),
      'SELECT DISTINCT email, person_id FROM raw.roster_people',
    );
    const personal = [...new Set(people.flatMap((person) => [person.email, person.person_id]))];
    return {
      dir,
      path,
      personal,
      remove: () => {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } finally {
    db.close();
  }
}

export const WEB_INDEX = '<!doctype html><title>syncbalance test page</title><div id="root"></div>';
export const WEB_ASSET = 'console.log("syncbalance test asset");';

/** A folder standing in for web/dist, so these tests do not depend on the dashboard's build. */
export function writeWebRoot(dir: string): string {
  const root = join(dir, 'web');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), WEB_INDEX);
  writeFileSync(join(root, 'assets', 'app-1234.js'), WEB_ASSET);
  return root;
}
