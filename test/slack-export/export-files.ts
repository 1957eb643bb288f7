/** Slack export fixtures on disk, and ZIPs of them made at test time with yazl. */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/cli.ts';
import { tempDir } from '../helpers/warehouse.ts';
import { zipFolder, type ZipOptions } from './zip.ts';

export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'slack-export');
export const ACME = join(FIXTURES, 'acme-2026-01');
export const ACME_LATER = join(FIXTURES, 'acme-2026-01-later');
export const MISSING_TS = join(FIXTURES, 'missing-ts');
export const ROSTER = join(FIXTURES, 'roster.csv');
export const GENERAL = 'canary-slack-channel-general';

/** A zip of a fixture folder in a fresh temporary folder. */
export async function zippedFixture(folder: string, options: ZipOptions = {}): Promise<string> {
  return zipFolder(folder, join(tempDir(), 'export.zip'), options);
}

/** A writable copy of a fixture folder, for tests that damage one file. */
export function copiedFixture(folder: string): string {
  const copy = join(tempDir(), 'export');
  cpSync(folder, copy, { recursive: true });
  return copy;
}
