import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../warehouse/errors.ts';
import { tempDir } from '../../test/helpers/warehouse.ts';
import { damageLocalHeader, zipFolder } from '../../test/slack-export/zip.ts';
import { readLayout } from './layout.ts';
import { openExportSource, readAhead, type ExportSource } from './source.ts';

const CAP = 1024 * 1024;

/** A small export folder: listings at the top, three day files, and files that are not days. */
function exportFolder(): string {
  const folder = join(tempDir(), 'export');
  const files: Record<string, string> = {
    'users.json': '[{"id": "U1"}]',
    'channels.json': '[{"id": "C1", "name": "general"}]',
    'general/2026-01-06.json': '[{"ts": "1767657600.000002", "text": "CANARY-slack-source-b"}]',
    'general/2026-01-05.json': '[{"ts": "1767571200.000001", "text": "CANARY-slack-source-a"}]',
    'general/2026-02-30.json': '[]',
    'general/canvas.json': '[]',
    'D1/2026-01-05.json': '[{"ts": "1767571200.000003", "text": "CANARY-slack-source-c"}]',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(folder, path, '..'), { recursive: true });
    writeFileSync(join(folder, path), text);
  }
  return folder;
}

async function texts(source: ExportSource): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const file of source.files) result[file.path] = await source.readText(file);
  return result;
}

async function inputError(work: Promise<unknown>): Promise<InputError> {
  const error: unknown = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('openExportSource', () => {
  it('reads the same files and texts from a ZIP as from its folder', async () => {
    const folder = exportFolder();
    const zip = await zipFolder(folder, join(tempDir(), 'export.zip'));
    const fromFolder = await openExportSource(folder, CAP);
    const fromZip = await openExportSource(zip, CAP);
    expect(await texts(fromZip)).toEqual(await texts(fromFolder));
    expect(fromZip.describe('general/2026-01-05.json')).toBe(`${zip}!general/2026-01-05.json`);
    expect(fromFolder.describe('general/2026-01-05.json')).toBe(
      join(folder, 'general', '2026-01-05.json'),
    );
    fromZip.close();
    fromFolder.close();
  });

  it('refuses a file over the size cap, naming the file inside the archive', async () => {
    const zip = await zipFolder(exportFolder(), join(tempDir(), 'export.zip'));
    const source = await openExportSource(zip, 40);
    const day = source.files.find((file) => file.path === 'general/2026-01-05.json')!;
    const error = await inputError(source.readText(day));
    expect(error.message).toBe(
      `${zip}!general/2026-01-05.json: is 0.0 MB, over the 0.0 MB limit for one file of a Slack export; nothing was imported`,
    );
    source.close();
  });

  it('names the archive when it is not a ZIP or is cut short', async () => {
    const dir = tempDir();
    const text = join(dir, 'export.zip');
    writeFileSync(text, 'CANARY-slack-source-not-a-zip\n'.repeat(100));
    const zip = await zipFolder(exportFolder(), join(dir, 'real.zip'));
    const truncated = join(dir, 'truncated.zip');
    const bytes = readFileSync(zip);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    for (const path of [text, truncated]) {
      const error = await inputError(openExportSource(path, CAP));
      expect(error.message).toMatch(
        new RegExp(
          `^${path.replaceAll('.', '\\.')}: is not a readable ZIP archive: it may be truncated`,
        ),
      );
      expect(error.message).not.toContain('CANARY');
    }
  });

  it('names the inner file when its local header is damaged', async () => {
    const zip = await zipFolder(exportFolder(), join(tempDir(), 'export.zip'));
    await damageLocalHeader(zip, 'general/2026-01-06.json');
    const source = await openExportSource(zip, CAP);
    const day = source.files.find((file) => file.path === 'general/2026-01-06.json')!;
    expect((await inputError(source.readText(day))).message).toBe(
      `${zip}!general/2026-01-06.json: cannot be read: the archive is damaged (invalid local file header)`,
    );
    source.close();
  });

  it('detects changed bytes in a stored file by its checksum', async () => {
    const zip = await zipFolder(exportFolder(), join(tempDir(), 'export.zip'), { store: true });
    const bytes = readFileSync(zip);
    const at = bytes.indexOf('CANARY-slack-source-b');
    bytes[at] = 'X'.charCodeAt(0);
    writeFileSync(zip, bytes);
    const source = await openExportSource(zip, CAP);
    const day = source.files.find((file) => file.path === 'general/2026-01-06.json')!;
    const error = await inputError(source.readText(day));
    expect(error.message).toBe(
      `${zip}!general/2026-01-06.json: cannot be read: the archive is damaged (checksum mismatch)`,
    );
    source.close();
  });

  it('reports a missing path as input, not as a crash', async () => {
    const missing = join(tempDir(), 'nope.zip');
    expect((await inputError(openExportSource(missing, CAP))).message).toBe(
      `${missing}: no such file or folder`,
    );
  });
});

describe('readAhead', () => {
  it('yields files in order and raises a damaged file only when its turn comes', async () => {
    const zip = await zipFolder(exportFolder(), join(tempDir(), 'export.zip'));
    await damageLocalHeader(zip, 'general/2026-01-06.json');
    const source = await openExportSource(zip, CAP);
    const layout = readLayout(source, zip);
    const items = layout.folders.flatMap((folder) => folder.days.map((file) => ({ file })));
    const seen: string[] = [];
    const error = await inputError(
      (async () => {
        for await (const { item } of readAhead(source, items)) seen.push(item.file.path);
      })(),
    );
    expect(seen).toEqual(['D1/2026-01-05.json', 'general/2026-01-05.json']);
    expect(error.message).toContain('!general/2026-01-06.json: cannot be read');
    source.close();
  });
});
