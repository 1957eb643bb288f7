/**
 * Symbolic links in an unpacked export are followed: a day file linked from elsewhere is read
 * like the file itself (it used to be skipped without a word). A link to nothing is refused.
 */
import { renameSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importSlackExport } from '../../ingest/slack-export/import.ts';
import { InputError } from '../../warehouse/errors.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { tempDir, tempWarehouse, testPseudonymizer } from '../helpers/warehouse.ts';
import { ACME, copiedFixture, GENERAL } from './export-files.ts';

const importFrom = async (path: string) =>
  importSlackExport({
    db: await tempWarehouse(),
    pseudonymizer: testPseudonymizer,
    path,
    reporter: silentReporter,
  });

describe('symbolic links in a folder export', () => {
  it('follows a symlinked day file and a symlinked conversation folder: the same messages as the plain export', async () => {
    const plain = await importFrom(ACME);
    const linked = copiedFixture(ACME);
    const elsewhere = tempDir();
    renameSync(join(linked, GENERAL, '2026-01-05.json'), join(elsewhere, 'day.json'));
    symlinkSync(join(elsewhere, 'day.json'), join(linked, GENERAL, '2026-01-05.json'));
    renameSync(join(linked, 'D01ANABEN'), join(elsewhere, 'dm'));
    symlinkSync(join(elsewhere, 'dm'), join(linked, 'D01ANABEN'));
    const summary = await importFrom(linked);
    expect(summary).toEqual(plain);
    expect(summary.messagesKept).toBe(18);
  });

  it('refuses a symlink that points at nothing, naming it', async () => {
    const linked = copiedFixture(ACME);
    const target = join(tempDir(), 'gone.json');
    rmSync(join(linked, GENERAL, '2026-01-06.json'));
    symlinkSync(target, join(linked, GENERAL, '2026-01-06.json'));
    await expect(importFrom(linked)).rejects.toThrow(
      new InputError(
        `${join(linked, GENERAL, '2026-01-06.json')}: is a symbolic link that cannot be followed (ENOENT); nothing was imported`,
      ),
    );
  });
});
