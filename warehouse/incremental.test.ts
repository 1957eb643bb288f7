import { describe, expect, it } from 'vitest';
import { Warehouse } from './db.ts';
import { utcWeekNumber, weekNumberDate } from './incremental.ts';

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
