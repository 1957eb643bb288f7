/**
 * LARGE TEST (about 20–40 s): a generated export of about 250,000 messages (about 300 MB of JSON
 * in 7,800 day files, a 20 MB ZIP) imported by the real CLI in a child process.
 *
 * Memory is checked two ways. The child's V8 heap is capped at 256 MB, so an importer that held
 * the export's text or its parsed messages in JavaScript would die of heap exhaustion. And the
 * child's peak resident memory, DuckDB's native allocations included, is recorded by a preloaded
 * module (resource-usage.ts, through NODE_OPTIONS, so the CLI runs unchanged) and must stay under a
 * bound far below what loading the export would take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Warehouse } from '../../warehouse/db.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';
import { planExport, shapeFor, writeExportZip } from './generate-export.ts';
import type { ResourceUsage } from './resource-usage.ts';

const USAGE_MODULE = join(import.meta.dirname, 'resource-usage.ts');
const HEAP_LIMIT_MB = 256;
/** Measured at about 500 MB (V8 with its lazy collection, DuckDB staging 250,000 rows). */
const PEAK_RSS_LIMIT_BYTES = 768 * 1024 * 1024;

describe('a large export', () => {
  it('imports 250,000 messages through the CLI with bounded memory', async () => {
    const dir = tempDir();
    const plan = planExport(shapeFor(250_000));
    const zip = join(dir, 'export.zip');
    await writeExportZip(plan, zip);
    const db = join(dir, 'warehouse.duckdb');
    const usageFile = join(dir, 'usage.json');

    const result = await runCli(['--db', db, 'import', 'slack-export', zip], {
      env: {
        SYNCBALANCE_SALT: TEST_SALT,
        SYNCBALANCE_RESOURCE_USAGE_FILE: usageFile,
        NODE_OPTIONS: [
          process.env['NODE_OPTIONS'] ?? '',
          `--max-old-space-size=${HEAP_LIMIT_MB}`,
          `--import=${pathToFileURL(USAGE_MODULE).href}`,
        ].join(' '),
      },
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const count = (n: number): string => n.toLocaleString('en-US');
    expect(result.stdout).toContain(
      `${count(plan.conversations)} conversations (${count(plan.conversations)} with messages), ` +
        `${count(plan.messages)} messages kept, ${count(plan.joinEvents)} skipped`,
    );
    const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as ResourceUsage;
    expect(usage.peakRssBytes).toBeGreaterThan(0);
    expect(usage.peakRssBytes).toBeLessThan(PEAK_RSS_LIMIT_BYTES);

    const warehouse = await Warehouse.open(db, { readOnly: true });
    try {
      const [row] = await warehouse.parse(
        z.object({ messages: z.number(), keys: z.number() }),
        `SELECT count(*)::INTEGER AS messages,
                count(DISTINCT (conversation_key, ts))::INTEGER AS keys
         FROM raw.slack_messages`,
      );
      expect(row).toEqual({ messages: plan.messages, keys: plan.messages });
    } finally {
      warehouse.close();
    }
  }, 120_000);
});
