import { describe, expect, it } from 'vitest';
import { Warehouse } from './db.ts';

describe('Warehouse', () => {
  it('returns instants in UTC whatever the machine’s zone (tests run in Australia/Lord_Howe)', async () => {
    const db = await Warehouse.memory();
    try {
      expect(new Date('2026-01-15T00:00:00Z').getTimezoneOffset()).not.toBe(0);
      expect(
        await db.all(
          `SELECT TIMESTAMPTZ '2026-07-01 10:00:00+02' AS summer, TIMESTAMPTZ '2026-01-01 10:00:00+01' AS winter, current_setting('TimeZone') AS zone`,
        ),
      ).toEqual([
        { summer: '2026-07-01 08:00:00+00', winter: '2026-01-01 09:00:00+00', zone: 'UTC' },
      ]);
    } finally {
      db.close();
    }
  });

  it('streams a result to the end while other queries run on the warehouse', async () => {
    const db = await Warehouse.memory();
    try {
      let rows = 0;
      for await (const chunk of db.stream('SELECT range AS x FROM range(200000)')) {
        rows += chunk.length;
        await db.all('SELECT 42 AS answer');
      }
      expect(rows).toBe(200000);
    } finally {
      db.close();
    }
  });

  it('rolls a failed transaction back completely', async () => {
    const db = await Warehouse.memory();
    try {
      await db.run('CREATE TABLE t (x INTEGER)');
      await expect(
        db.transaction(async () => {
          await db.run('INSERT INTO t VALUES (1)');
          throw new Error('half-way');
        }),
      ).rejects.toThrow('half-way');
      expect(await db.all('SELECT count(*)::INTEGER AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      db.close();
    }
  });

  // A server closes a snapshot while a request whose client went away still queries it; closing
  // DuckDB under a running query crashed the test worker (SIGSEGV).
  it('closes only after running queries and streams finish, and refuses new ones', async () => {
    const db = await Warehouse.memory();
    const running = db.all(
      'SELECT count(*)::INTEGER AS n FROM range(20000000) AS a(x) WHERE x % 7 = 0',
    );
    const stream = db.stream('SELECT range AS x FROM range(3)');
    const first = await stream.next();
    db.close();
    await expect(running).resolves.toEqual([{ n: 2857143 }]);
    const rest: unknown[] = [first.value];
    for await (const chunk of stream) rest.push(chunk);
    expect(rest.flat()).toHaveLength(3);
    await expect(db.all('SELECT 1')).rejects.toThrow(/is closed/);
  });
});
