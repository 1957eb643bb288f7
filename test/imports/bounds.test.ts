/**
 * Bounds at the importers (warehouse/bounds.ts): instants outside the plausible range are skipped
 * with a counted warning naming the file and the field, and `import ics` refuses a window longer
 * than the documented maximum or reaching outside the range.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importIcs } from '../../ingest/ics/import.ts';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { MAX_IMPORT_WINDOW_DAYS } from '../../warehouse/bounds.ts';
import { InputError } from '../../warehouse/errors.ts';
import { recordingReporter, silentReporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { calendar, vevent } from '../ics/support.ts';

const NOW = new Date('2026-06-01T12:00:00Z');

function slackExport(messages: Record<string, unknown>[]): string {
  const root = tempDir();
  mkdirSync(join(root, 'general'));
  writeFileSync(
    join(root, 'users.json'),
    JSON.stringify([{ id: 'U01', profile: { email: 'ada@example.com' } }]),
  );
  writeFileSync(join(root, 'channels.json'), JSON.stringify([{ id: 'C01', name: 'general' }]));
  writeFileSync(join(root, 'general', '2026-03-03.json'), JSON.stringify(messages, null, 1));
  return root;
}

describe('Slack instants outside the plausible range', () => {
  it('skips a ts in the year 33658 and one in 1970 with a counted warning naming the file and field', async () => {
    const db = await tempWarehouse();
    const reporter = recordingReporter();
    const path = slackExport([
      { type: 'message', user: 'U01', ts: '1772528400.000100' },
      { type: 'message', user: 'U01', ts: '999999999999.000000' },
      { type: 'message', user: 'U01', ts: '86400.000000' },
    ]);
    const summary = await importSlackExport({
      db,
      pseudonymizer: testPseudonymizer,
      path,
      reporter,
      now: NOW,
    });
    expect(summary.messagesKept).toBe(1);
    expect(summary.messagesSkipped.implausible_time).toBe(2);
    expect(reporter.warnings).toEqual([
      `${join(path, 'general', '2026-03-03.json')}:7:2 ts: 2 messages skipped (first: message 2 of this file): the time is outside 2000-01-01 to 2028-06-01, the range syncbalance accepts`,
    ]);
    expect(reporter.results.join('\n')).toContain('2 with a time outside the plausible range');
    expect(
      await db.one(
        `SELECT (summary->>'skipped_implausible_time')::INTEGER AS n FROM meta.import_runs WHERE source = 'slack_export'`,
      ),
    ).toEqual({ n: 2 });
  });
});

describe('iCalendar bounds', () => {
  function icsFile(...lines: string[]): string {
    const dir = tempDir();
    const file = join(dir, 'ada@example.com.ics');
    writeFileSync(file, calendar(...lines));
    return file;
  }
  const run = (paths: string[], from: string, to: string, reporter = silentReporter) =>
    tempWarehouse().then((db) =>
      importIcs({
        db,
        pseudonymizer: testPseudonymizer,
        paths,
        owner: null,
        from,
        to,
        reporter,
        now: NOW,
      }),
    );

  it(`refuses a window longer than ${MAX_IMPORT_WINDOW_DAYS} days, and one reaching past the plausible range`, async () => {
    const file = icsFile(...vevent('UID:a', 'DTSTART:20260303T100000Z', 'DTEND:20260303T110000Z'));
    await expect(run([file], '2023-01-01', '2026-06-01')).rejects.toThrow(
      new InputError(
        `--from 2023-01-01 --to 2026-06-01 is 1,248 days long; the longest window is 1,100 days: import in parts`,
      ),
    );
    await expect(run([file], '2026-01-01', '2206-11-30')).rejects.toThrow(
      /--from 2026-01-01 --to 2206-11-30 reaches outside 2000-01-01 to 2028-06-01, the range syncbalance accepts/,
    );
    await expect(run([file], '1999-12-31', '2000-01-02')).rejects.toThrow(/reaches outside/);
  });

  it('skips an instance ending far in the future with a counted warning naming the file and field', async () => {
    const file = icsFile(
      ...vevent('UID:ok', 'DTSTART:20260303T100000Z', 'DTEND:20260303T110000Z'),
      // Three years long: within the parser's five-year bound on one event, past the plausible range.
      ...vevent('UID:stray', 'DTSTART:20260304T100000Z', 'DTEND:20290304T110000Z'),
    );
    const reporter = recordingReporter();
    const summary = await run([file], '2026-03-02', '2026-03-08', reporter);
    expect(summary.events).toBe(1);
    expect(summary.skipped.implausibleTimes).toBe(1);
    expect(reporter.warnings).toContain(
      `${file} DTEND: 1 event instance skipped: the time is outside 2000-01-01 to 2028-06-01, the range syncbalance accepts`,
    );
  });
});
