import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { tempDir } from '../test/helpers/warehouse.ts';
import { Warehouse } from './db.ts';
import {
  addDayReach,
  affectedWeeks,
  checkDeclarations,
  computeRawFingerprints,
  createReach,
  dayNumberDate,
  modelFingerprintSql,
  unchangedView,
  WEEKS_TABLE,
  utcDayNumber,
} from './incremental.ts';
import { loadModels } from './models.ts';

describe('utcDayNumber', () => {
  it("gives the date timezone('UTC', …) gives, at day edges and before 1970 too", async () => {
    const db = await Warehouse.open(':memory:');
    try {
      const instants = [
        '2026-11-30 00:00:00+00',
        '2026-11-29 23:59:59.999999+00',
        '2026-11-30 00:00:00.000001+00',
        '2026-12-06 12:00:00-11',
        '1970-01-01 00:00:00+00',
        '1969-12-31 23:59:59.999999+00',
        '1900-03-01 06:00:00+00',
      ];
      const rows = await db.all(
        `SELECT ${dayNumberDate(utcDayNumber('epoch_us(instant)'))}::VARCHAR AS ours,
                timezone('UTC', instant)::DATE::VARCHAR AS duckdb
         FROM (SELECT unnest([${instants.map((at) => `TIMESTAMPTZ '${at}'`).join(', ')}]) AS instant)`,
      );
      expect(rows).toHaveLength(instants.length);
      for (const row of rows) expect(row['ours']).toBe(row['duckdb']);
      expect(rows[1]).toEqual({ ours: '2026-11-29', duckdb: '2026-11-29' });
      expect(rows[3]).toEqual({ ours: '2026-12-06', duckdb: '2026-12-06' });
      expect(rows[5]).toEqual({ ours: '1969-12-31', duckdb: '1969-12-31' });
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

  it('accepts causal models only rebuilt in full, over intervals', () => {
    expect(
      declared('{ start_column: start_at, end_column: end_at, partial: false, causal: true }'),
    ).not.toThrow();
    expect(declared('{ start_column: start_at, end_column: end_at, causal: true }')).toThrow(
      /causal belongs to models rebuilt in full/,
    );
    expect(declared('{ start_column: start_at, partial: false, causal: true }')).toThrow(
      /causal belongs to models rebuilt in full \(partial: false\) with start_column and end_column/,
    );
  });
});

/** The dates from `first` to `last`, both included. */
function days(first: string, last: string): string[] {
  const result: string[] = [];
  for (
    let at = Date.parse(`${first}T00:00:00Z`);
    at <= Date.parse(`${last}T00:00:00Z`);
    at += 86_400_000
  )
    result.push(new Date(at).toISOString().slice(0, 10));
  return result;
}

describe('fingerprints of an instant-keyed model rebuilt in full', () => {
  it('change on exactly the UTC days where a row changed, its pieces clipped to each day', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'intermediate'), { recursive: true });
    writeFileSync(join(dir, 'intermediate', 'int_t.sql'), `SELECT 1 AS v`);
    writeFileSync(
      join(dir, 'intermediate', 'int_t.yml'),
      `description: d\ngrain: one row per stretch\nunique_key: [v]\ncolumns:\n  v: v\n  start_at: s\n  end_at: e\n` +
        `incremental: { start_column: start_at, end_column: end_at, partial: false }\n`,
    );
    const [model] = loadModels(dir);
    if (model === undefined) throw new Error('no model');
    const db = await Warehouse.open(':memory:');
    try {
      await db.run(`CREATE SCHEMA intermediate`);
      await db.run(
        `CREATE TABLE intermediate.int_t AS SELECT * FROM (VALUES
           (1, TIMESTAMPTZ '2026-11-03 10:00:00+00', TIMESTAMPTZ '2026-11-03 11:00:00+00'),
           (2, TIMESTAMPTZ '2026-11-05 00:00:00+00', TIMESTAMPTZ '2026-11-20 00:00:00+00')
         ) AS t(v, start_at, end_at)`,
      );
      const fingerprints = async (): Promise<Map<string, string>> => {
        const rows = await db.parse(
          z.object({ week: z.string(), print: z.string() }),
          `SELECT period_start::VARCHAR AS week, n::VARCHAR || ' ' || h::VARCHAR AS print
           FROM (${modelFingerprintSql(model, ['v', 'start_at', 'end_at'])}) ORDER BY week`,
        );
        return new Map(rows.map((row) => [row.week, row.print]));
      };
      const changedBy = async (update: string): Promise<string[]> => {
        const before = await fingerprints();
        await db.run(update);
        const after = await fingerprints();
        return [...new Set([...before.keys(), ...after.keys()])]
          .filter((week) => before.get(week) !== after.get(week))
          .sort();
      };
      expect([...(await fingerprints()).keys()]).toEqual([
        '2026-11-03',
        ...days('2026-11-05', '2026-11-19'),
      ]);
      // A value of the row spanning fifteen days: its first, whole and last days.
      expect(await changedBy(`UPDATE intermediate.int_t SET v = 3 WHERE v = 2`)).toEqual(
        days('2026-11-05', '2026-11-19'),
      );
      // Its end, moved on: the day it ended on and the days it gained, no others.
      expect(
        await changedBy(
          `UPDATE intermediate.int_t SET end_at = TIMESTAMPTZ '2026-11-25 00:00:00+00' WHERE v = 3`,
        ),
      ).toEqual(days('2026-11-19', '2026-11-24'));
      // The row within one day, same count.
      expect(await changedBy(`UPDATE intermediate.int_t SET v = 5 WHERE v = 1`)).toEqual([
        '2026-11-03',
      ]);
    } finally {
      db.close();
    }
  });
});

describe('the weeks a change on a UTC day reaches', () => {
  async function reached(day: string, extraWeeks: number, marginHours: number): Promise<string[]> {
    const db = await Warehouse.open(':memory:');
    try {
      await db.run(`CREATE TEMP TABLE ${WEEKS_TABLE} (week_start DATE PRIMARY KEY)`);
      await createReach(db, extraWeeks, marginHours);
      await addDayReach(db, `SELECT DATE '${day}' AS day`);
      return await affectedWeeks(db);
    } finally {
      db.close();
    }
  }

  it('are the local weeks whose instants, with the margin and lookback read, overlap the day', async () => {
    // Local week w lies within [w − 1 day, w + 8 days): Tuesday to Saturday are in one week alone.
    expect(await reached('2026-11-24', 0, 0)).toEqual(['2026-11-23']);
    expect(await reached('2026-11-28', 0, 0)).toEqual(['2026-11-23']);
    // Late Sunday in UTC is Monday east of it, early Monday is Sunday west of it.
    expect(await reached('2026-11-22', 0, 0)).toEqual(['2026-11-16', '2026-11-23']);
    expect(await reached('2026-11-23', 0, 0)).toEqual(['2026-11-16', '2026-11-23']);
    // A 24-hour margin reaches a day further either side: Tuesday into the week before.
    expect(await reached('2026-11-24', 0, 24)).toEqual(['2026-11-16', '2026-11-23']);
    expect(await reached('2026-11-25', 0, 24)).toEqual(['2026-11-23']);
    expect(await reached('2026-11-22', 0, 24)).toEqual(['2026-11-16', '2026-11-23']);
    // A lookback of a week reaches the week after too.
    expect(await reached('2026-11-25', 1, 24)).toEqual(['2026-11-23', '2026-11-30']);
  });
});

describe('raw fingerprints of coverage windows', () => {
  it('change on the day a window ended and the days it gained, and on every day for its other columns', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      await db.run(
        `INSERT INTO raw.calendar_coverage VALUES
           ('p_1', TIMESTAMPTZ '2026-11-02 06:00:00+00', TIMESTAMPTZ '2026-11-05 12:00:00+00', 'ics', 1)`,
      );
      const fingerprints = async (): Promise<Map<string, string>> => {
        await computeRawFingerprints(db);
        const rows = await db.parse(
          z.object({ day: z.string(), print: z.string() }),
          `SELECT utc_day::VARCHAR AS day, row_count::VARCHAR || ' ' || fingerprint::VARCHAR AS print
           FROM incremental_fingerprints WHERE part = 'raw.calendar_coverage' ORDER BY day`,
        );
        return new Map(rows.map((row) => [row.day, row.print]));
      };
      const before = await fingerprints();
      expect([...before.keys()]).toEqual(days('2026-11-02', '2026-11-05'));
      await db.run(
        `UPDATE raw.calendar_coverage SET window_end = TIMESTAMPTZ '2026-11-07 03:00:00+00'`,
      );
      const after = await fingerprints();
      const changed = [...new Set([...before.keys(), ...after.keys()])]
        .filter((day) => before.get(day) !== after.get(day))
        .sort();
      expect(changed).toEqual(days('2026-11-05', '2026-11-07'));
      // Another import's window over the same time: every day it covers.
      await db.run(`UPDATE raw.calendar_coverage SET source = 'google_calendar'`);
      const renamed = await fingerprints();
      expect([...renamed.keys()].filter((day) => renamed.get(day) !== after.get(day))).toEqual(
        days('2026-11-02', '2026-11-07'),
      );
    } finally {
      db.close();
    }
  });
});

describe('raw fingerprints of calendar events', () => {
  it('change on the days of an event copy when it or an attendee changes, and count attendees without one apart', async () => {
    const db = await Warehouse.open(':memory:');
    try {
      await db.run(
        `INSERT INTO raw.calendar_events VALUES
           ('p_1', 'e_1', '', TIMESTAMPTZ '2026-11-02 23:00:00+00', TIMESTAMPTZ '2026-11-03 01:00:00+00',
            NULL, NULL, false, 'confirmed', 'opaque', 'default', false, 'p_1', 'ics', 1),
           ('p_1', 'e_2', '', TIMESTAMPTZ '2026-11-05 10:00:00+00', TIMESTAMPTZ '2026-11-05 11:00:00+00',
            NULL, NULL, false, 'confirmed', 'opaque', 'default', false, 'p_1', 'ics', 1),
           ('p_1', 'e_3', '', NULL, NULL, DATE '2026-11-09', DATE '2026-11-11', true, 'confirmed',
            'transparent', 'outOfOffice', false, 'p_1', 'ics', 1);
         INSERT INTO raw.calendar_attendees VALUES
           ('p_1', 'e_1', '', 'p_1', 'person', 'accepted'),
           ('p_1', 'e_1', '', 'p_2', 'person', 'needsAction'),
           ('p_1', 'e_2', '', 'p_2', 'person', 'accepted')`,
      );
      const fingerprints = async (): Promise<Map<string, string>> => {
        await computeRawFingerprints(db);
        const rows = await db.parse(
          z.object({ part: z.string(), day: z.string(), print: z.string() }),
          `SELECT part, coalesce(utc_day::VARCHAR, '-') AS day,
                  row_count::VARCHAR || ' ' || fingerprint::VARCHAR AS print
           FROM incremental_fingerprints
           WHERE part IN ('raw.calendar_events', 'raw.calendar_attendees') ORDER BY ALL`,
        );
        return new Map(rows.map((row) => [`${row.part} ${row.day}`, row.print]));
      };
      let last = await fingerprints();
      expect(
        [...last.entries()].map(([key, print]) => `${key} ${print.split(' ')[0] ?? ''}`),
      ).toEqual([
        'raw.calendar_events 2026-11-02 1',
        'raw.calendar_events 2026-11-03 1',
        'raw.calendar_events 2026-11-05 1',
        'raw.calendar_events 2026-11-09 1',
        'raw.calendar_events 2026-11-10 1',
      ]);
      /** The parts and days whose fingerprints a change gives anew. */
      const changedBy = async (sql: string): Promise<readonly string[]> => {
        await db.run(sql);
        const now = await fingerprints();
        const changed = [...new Set([...last.keys(), ...now.keys()])]
          .filter((key) => last.get(key) !== now.get(key))
          .sort();
        last = now;
        return changed;
      };
      // An attendee's response is part of the event copy: its days change, no others.
      expect(
        await changedBy(
          `UPDATE raw.calendar_attendees SET response_status = 'declined' WHERE event_key = 'e_1' AND attendee_id = 'p_2'`,
        ),
      ).toEqual(['raw.calendar_events 2026-11-02', 'raw.calendar_events 2026-11-03']);
      // An attendee moving to another copy changes the days of both.
      expect(
        await changedBy(
          `UPDATE raw.calendar_attendees SET event_key = 'e_3' WHERE event_key = 'e_2' AND attendee_id = 'p_2'`,
        ),
      ).toEqual([
        'raw.calendar_events 2026-11-05',
        'raw.calendar_events 2026-11-09',
        'raw.calendar_events 2026-11-10',
      ]);
      // Attendees of no event are counted apart, without a day.
      expect(
        await changedBy(
          `INSERT INTO raw.calendar_attendees VALUES ('p_1', 'e_9', '', 'p_3', 'person', 'accepted'),
             ('p_1', 'e_9', '', 'p_4', 'person', 'accepted')`,
        ),
      ).toEqual(['raw.calendar_attendees -']);
      expect(last.get('raw.calendar_attendees -')?.split(' ')[0]).toBe('2');
    } finally {
      db.close();
    }
  });
});

describe('unchangedView', () => {
  it('holds for the views of raw tables without days only: a change to those means a full build', () => {
    const byName = new Map(loadModels().map((model) => [model.name, model]));
    const unchanged = (name: string) => {
      const model = byName.get(name);
      if (model === undefined) throw new Error(`no model ${name}`);
      return unchangedView(model);
    };
    expect(unchanged('stg_slack__conversations')).toBe(true);
    expect(unchanged('stg_roster__people')).toBe(true);
    expect(unchanged('stg_slack__messages')).toBe(false);
    expect(unchanged('stg_calendar__attendees')).toBe(false);
    expect(unchanged('stg_slack__coverage')).toBe(false);
    expect(unchanged('int_person_weeks')).toBe(false);
  });
});
