/**
 * The demo organisation for the report tests: built once per test file, then copied for each test
 * so every test starts with no deliveries recorded. Managers are found by the teams they see
 * (never by hard-coded names), so a change to the demo's name lists cannot break the tests.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { parseConfig, type Config } from '../../warehouse/config.ts';
import { Warehouse } from '../../warehouse/db.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { buildDemoWarehouse, type DemoWarehouse } from '../server/helpers/demo.ts';

export { DEMO_LAST_WEEK, DEMO_NOW } from '../server/helpers/demo.ts';

export function reportConfig(port: number, report: Record<string, unknown> = {}): Config {
  return parseConfig({
    report: {
      dashboardUrl: 'https://sync.example.test/',
      from: 'syncbalance <reports@sync.example.test>',
      ...report,
      smtp: {
        host: '127.0.0.1',
        port,
        security: 'none',
        ...(report['smtp'] as object | undefined),
      },
    },
  });
}

export async function buildReportDemo(): Promise<DemoWarehouse> {
  return buildDemoWarehouse(parseConfig({}), 16);
}

/** A fresh copy of the demo warehouse, opened read-write; closed and removed after the test. */
export async function demoCopy(demo: DemoWarehouse): Promise<{ db: Warehouse; path: string }> {
  const path = join(tempDir('syncbalance-report-'), 'demo.duckdb');
  copyFileSync(demo.path, path);
  const db = await Warehouse.open(path);
  return { db, path };
}

export interface DemoManagers {
  /** Sees exactly Product/Management (the meeting-heavy team). */
  readonly meetingHeavy: string;
  /** Sees exactly Product/Management and Product/Design. */
  readonly twoTeams: string;
  /** Sees only Engineering/Security, which is too small in every week. */
  readonly tooSmall: string;
  /** Sees the Engineering teams, Security among them. */
  readonly engineering: string;
  readonly all: readonly string[];
}

export async function demoManagers(db: Warehouse): Promise<DemoManagers> {
  const rows = await db.parse(
    z.object({ email: z.string(), teams: z.array(z.string()) }),
    `SELECT viewer_email AS email, list(team_path ORDER BY team_path) AS teams
     FROM marts.team_access GROUP BY viewer_email ORDER BY viewer_email`,
  );
  const seeing = (...teams: string[]) => {
    const found = rows.find(
      (row) => JSON.stringify(row.teams) === JSON.stringify([...teams].sort()),
    );
    if (found === undefined) throw new Error(`no demo manager sees exactly ${teams.join(', ')}`);
    return found.email;
  };
  const engineering = rows.find(
    (row) =>
      row.teams.includes('Engineering/Security') &&
      row.teams.includes('Engineering/Platform') &&
      !row.teams.includes('Product/Management'),
  );
  if (engineering === undefined) throw new Error('no demo manager of the Engineering teams');
  return {
    meetingHeavy: seeing('Product/Management'),
    twoTeams: seeing('Product/Design', 'Product/Management'),
    tooSmall: seeing('Engineering/Security'),
    engineering: engineering.email,
    all: rows.map((row) => row.email),
  };
}
