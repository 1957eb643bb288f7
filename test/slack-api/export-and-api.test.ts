/**
 * An organisation that starts from a Slack export and continues with the API: the two sources
 * write the same rows for the same messages, overlapping periods leave no duplicates, and the
 * metrics built from either are the same.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importRoster } from '../../ingest/roster/import.ts';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { buildModels } from '../../warehouse/build.ts';
import { defaultConfig } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { planExport, writeExportFolder, type ExportPlan } from '../slack-export/generate-export.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { coverage, messages, startEmulator, sync } from './support.ts';
import { message, tsAt, workspaceFromExport } from './workspace.ts';

const DAYS = 21;
const EXPORT_START = Date.UTC(2026, 0, 1);
const EXPORT_END = EXPORT_START + DAYS * 86_400_000;

function plan(): ExportPlan {
  return planExport({ messages: 2500, days: DAYS, channels: 5, dms: 8, groupDms: 2, users: 24 });
}

async function importExport(db: Warehouse, exportPlan: ExportPlan): Promise<void> {
  const folder = join(tempDir(), 'export');
  writeExportFolder(exportPlan, folder);
  await importSlackExport({
    db,
    pseudonymizer: testPseudonymizer,
    path: folder,
    reporter: silentReporter,
  });
}

async function importPeople(db: Warehouse, users: number): Promise<void> {
  const file = join(tempDir(), 'roster.csv');
  const rows = Array.from(
    { length: users },
    (_, index) => `person${index + 1}@example.com,Eng/${index % 2 === 0 ? 'Web' : 'Data'}`,
  );
  writeFileSync(file, ['email,team', ...rows].join('\n'));
  await importRoster({
    db,
    pseudonymizer: testPseudonymizer,
    file,
    asOf: '2025-12-01',
    reporter: silentReporter,
  });
}

describe('Slack export, then the API', () => {
  it('writes exactly the rows the export importer writes for the same messages', async () => {
    const exportPlan = plan();
    const fromExport = await tempWarehouse();
    await importExport(fromExport, exportPlan);
    const emulator = await startEmulator(workspaceFromExport(exportPlan));
    const fromApi = await tempWarehouse();
    await sync(fromApi, emulator, EXPORT_END, { since: '2026-01-01' });
    const expected = await messages(fromExport);
    expect(expected.length).toBeGreaterThan(2000);
    expect(await messages(fromApi)).toEqual(expected);
    expect(await coverage(fromApi)).toEqual([
      { start: '2026-01-01T00:00:00Z', end: '2026-01-22T00:00:00Z', source: 'slack_api' },
    ]);
    expect(await coverage(fromExport)).toEqual([
      { start: '2026-01-01T00:00:00Z', end: '2026-01-22T00:00:00Z', source: 'slack_export' },
    ]);
  });

  it('over an overlapping period, adds only the newer messages: no duplicates, nothing lost, coverage without a gap', async () => {
    const exportPlan = plan();
    const db = await tempWarehouse();
    await importExport(db, exportPlan);
    const exported = await messages(db);
    const workspace = workspaceFromExport(exportPlan);
    const channel = workspace.conversations[0]!;
    const newer = [1, 2, 3].map((day) =>
      message(tsAt(EXPORT_END + day * 86_400_000 + 3_600_000), workspace.users[day]!.id),
    );
    channel.messages.push(...newer);
    const emulator = await startEmulator(workspace);
    // The API's first sync reaches back a week into the export's period.
    const { summary } = await sync(db, emulator, EXPORT_END + 5 * 86_400_000, {
      since: '2026-01-15',
    });
    expect(summary.messagesRemoved).toBe(0);
    const rows = await messages(db);
    expect(rows).toHaveLength(exported.length + newer.length);
    const [duplicates] = await db.all(
      `SELECT count(*)::INTEGER AS n FROM (SELECT conversation_key, ts FROM raw.slack_messages
       GROUP BY ALL HAVING count(*) > 1)`,
    );
    expect(duplicates).toEqual({ n: 0 });
    const [sources] = await db.all(
      `SELECT count(*) FILTER (WHERE source = 'slack_export')::INTEGER AS export_rows,
              count(*) FILTER (WHERE source = 'slack_api')::INTEGER AS api_rows
       FROM raw.slack_messages`,
    );
    // Messages of the overlap are rewritten by the API, identically; older ones keep the export's.
    expect(sources?.['export_rows']).toBeGreaterThan(0);
    expect(sources?.['api_rows']).toBeGreaterThan(newer.length);
    const covered = await db.parse(
      z.object({ start: z.string(), end: z.string() }),
      `SELECT strftime(min(window_start), '%Y-%m-%d') AS start, strftime(max(window_end), '%Y-%m-%d') AS "end"
       FROM raw.slack_coverage`,
    );
    expect(covered).toEqual([{ start: '2026-01-01', end: '2026-01-27' }]);
    const windows = await coverage(db);
    expect(windows.map((window) => window.source).sort()).toEqual(['slack_api', 'slack_export']);
    // The API window starts inside the export's, so the two leave no gap.
    const api = windows.find((window) => window.source === 'slack_api')!;
    const exportWindow = windows.find((window) => window.source === 'slack_export')!;
    expect(api.start <= exportWindow.end).toBe(true);
  });

  it('metrics built from the API equal the metrics built from an export of the same messages', async () => {
    const exportPlan = plan();
    const fromExport = await tempWarehouse();
    await importPeople(fromExport, exportPlan.users);
    await importExport(fromExport, exportPlan);
    const fromApi = await tempWarehouse();
    await importPeople(fromApi, exportPlan.users);
    const emulator = await startEmulator(workspaceFromExport(exportPlan));
    await sync(fromApi, emulator, EXPORT_END, { since: '2026-01-01' });
    const config = defaultConfig();
    await buildModels(fromExport, config);
    await buildModels(fromApi, config);
    const query = `SELECT * FROM marts.person_weeks ORDER BY person_id, week_start`;
    const expected = await fromExport.all(query);
    const messageWeeks = await fromExport.all(
      `SELECT count(*)::INTEGER AS n FROM marts.person_weeks WHERE messages_sent > 0`,
    );
    expect(messageWeeks[0]?.['n']).toBeGreaterThan(20);
    expect(await fromApi.all(query)).toEqual(expected);
  });
});
