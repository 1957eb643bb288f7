/** docs/data-model.md must describe every raw and meta table and every raw column, as built. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempWarehouse } from '../helpers/warehouse.ts';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'data-model.md'), 'utf8');

function section(table: string): string {
  const start = doc.indexOf(`### ${table}\n`);
  if (start === -1) return '';
  const next = doc.indexOf('\n### ', start + 1);
  return doc.slice(start, next === -1 ? undefined : next);
}

describe('docs/data-model.md', () => {
  it('describes every raw and meta table, and every raw column in its table', async () => {
    const db = await tempWarehouse();
    await buildModels(db, defaultConfig());
    const columns = await db.parse(
      z.object({ table_schema: z.string(), table_name: z.string(), column_name: z.string() }),
      `SELECT table_schema, table_name, column_name FROM information_schema.columns
       WHERE table_schema IN ('raw', 'meta') ORDER BY ALL`,
    );
    expect(columns.length).toBeGreaterThan(60);
    for (const { table_schema, table_name, column_name } of columns) {
      const text = section(`${table_schema}.${table_name}`);
      expect(text, `${table_schema}.${table_name}`).not.toBe('');
      expect(text, `${table_schema}.${table_name}.${column_name}`).toContain(`\`${column_name}\``);
    }
  });
});
