import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test/helpers/warehouse.ts';
import { Warehouse } from './db.ts';
import { checkDeclarations, utcWeekNumber, weekNumberDate } from './incremental.ts';
import { loadModels } from './models.ts';

describe('utcWeekNumber', () => {
  it("gives the Monday date_trunc('week') gives in UTC, at week edges and before 1970 too", async () => {
    const db = await Warehouse.open(':memory:');
    try {
      const instants = [
        '2026-11-30 00:00:00+00',
        '2026-11-29 23:59:59.999999+00',
        '2026-11-30 00:00:00.000001+00',
        '2026-12-06 12:00:00-11',
        '1970-01-01 00:00:00+00',
        '1970-01-05 00:00:00+00',
        '1969-12-29 00:00:00+00',
        '1969-12-28 23:59:59.999999+00',
        '1900-03-01 06:00:00+00',
      ];
      const rows = await db.all(
        `SELECT ${weekNumberDate(utcWeekNumber('epoch_us(instant)'))}::VARCHAR AS ours,
                date_trunc('week', timezone('UTC', instant))::DATE::VARCHAR AS duckdb
         FROM (SELECT unnest([${instants.map((at) => `TIMESTAMPTZ '${at}'`).join(', ')}]) AS instant)`,
      );
      expect(rows).toHaveLength(instants.length);
      for (const row of rows) expect(row['ours']).toBe(row['duckdb']);
      expect(rows[1]).toEqual({ ours: '2026-11-23', duckdb: '2026-11-23' });
      expect(rows[7]).toEqual({ ours: '1969-12-22', duckdb: '1969-12-22' });
    } finally {
      db.close();
    }
  });
});

describe('incremental declarations', () => {
  /** Loads one table model `int_t` (columns start_at, end_at) with the given `incremental:` line. */
  function declared(incremental: string): () => void {
    const dir = tempDir();
    mkdirSync(join(dir, 'intermediate'), { recursive: true });
    writeFileSync(
      join(dir, 'intermediate', 'int_t.sql'),
      `SELECT now() AS start_at, now() AS end_at`,
    );
    writeFileSync(
      join(dir, 'intermediate', 'int_t.yml'),
      `description: d\ngrain: one row per stretch\nunique_key: [start_at]\ncolumns:\n  start_at: s\n  end_at: e\nincremental: ${incremental}\n`,
    );
    return () => {
      checkDeclarations(loadModels(dir));
    };
  }

  it('accepts merged stretches and margins where they mean something', () => {
    expect(declared('{ start_column: start_at, end_column: end_at, merged: true }')).not.toThrow();
    expect(
      declared('{ start_column: start_at, end_column: end_at, margin_hours: 24 }'),
    ).not.toThrow();
  });

  it('refuses merged stretches without an end, rebuilt in full, or with a lookback or margin', () => {
    expect(declared('{ start_column: start_at, merged: true }')).toThrow(
      /merged belongs to partial models with start_column and end_column/,
    );
    expect(
      declared('{ start_column: start_at, end_column: end_at, merged: true, partial: false }'),
    ).toThrow(/merged belongs to partial models/);
    expect(
      declared('{ start_column: start_at, end_column: end_at, merged: true, margin_hours: 2 }'),
    ).toThrow(/not a lookback, margin or reach/);
    expect(
      declared('{ start_column: start_at, end_column: end_at, margin_hours: 2, partial: false }'),
    ).toThrow(/lookback, margin_hours and reach belong to partial models/);
    expect(declared('{ start_column: start_at, end_column: end_at, margin_hours: 25 }')).toThrow();
  });
});
