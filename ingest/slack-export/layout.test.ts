import { describe, expect, it } from 'vitest';
import { InputError } from '../../warehouse/errors.ts';
import { readLayout } from './layout.ts';
import type { ExportSource } from './source.ts';

function sourceOf(paths: readonly string[]): ExportSource {
  return {
    files: paths.map((path) => ({ path, size: 10 })),
    describe: (path) => `export.zip!${path}`,
    readText: () => Promise.reject(new Error('not read in these tests')),
    close() {},
  };
}

const STANDARD = [
  'users.json',
  'channels.json',
  'groups.json',
  'dms.json',
  'mpims.json',
  'integration_logs.json',
  'general/2026-01-06.json',
  'general/2026-01-05.json',
  'general/2026-02-30.json',
  'general/attachments/2026-01-05.json',
  'general/canvas.json',
  'D024BE91L/2026-01-05.json',
];

describe('readLayout', () => {
  it('finds the listings and each folder’s day files in date order, ignoring other files', () => {
    const layout = readLayout(sourceOf(STANDARD), 'export.zip');
    expect(layout.userFiles.map((file) => file.path)).toEqual(['users.json']);
    expect(layout.listings.map(({ listing }) => [listing.file, listing.type])).toEqual([
      ['channels.json', 'public_channel'],
      ['groups.json', 'private_channel'],
      ['dms.json', 'im'],
      ['mpims.json', 'mpim'],
    ]);
    expect(
      layout.folders.map((folder) => [folder.name, folder.days.map((file) => file.path)]),
    ).toEqual([
      ['D024BE91L', ['D024BE91L/2026-01-05.json']],
      ['general', ['general/2026-01-05.json', 'general/2026-01-06.json']],
    ]);
    expect(layout.dayFileCount).toBe(3);
  });

  it('accepts an export zipped together with its folder, and ignores macOS metadata', () => {
    const paths = [
      '__MACOSX/acme/._users.json',
      '__MACOSX/users.json',
      ...STANDARD.map((path) => `acme/${path}`),
    ];
    const layout = readLayout(sourceOf(paths), 'export.zip');
    expect(layout.userFiles.map((file) => file.path)).toEqual(['acme/users.json']);
    expect(layout.folders.map((folder) => folder.name)).toEqual(['D024BE91L', 'general']);
  });

  it('reads org_users.json from Enterprise Grid exports', () => {
    const layout = readLayout(sourceOf(['org_users.json', 'channels.json']), 'export.zip');
    expect(layout.userFiles.map((file) => file.path)).toEqual(['org_users.json']);
  });

  it('refuses an archive that is not a Slack export, or lacks users or listings', () => {
    const attempt = (paths: string[]): string => {
      try {
        readLayout(sourceOf(paths), 'export.zip');
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).message;
      }
      throw new Error('expected an error');
    };
    expect(attempt(['photos/cat.jpg'])).toMatch(/^export\.zip: is not a Slack export/);
    expect(attempt(['channels.json', 'general/2026-01-05.json'])).toMatch(
      /^export\.zip!users\.json: is missing/,
    );
    expect(attempt(['users.json'])).toMatch(/^export\.zip!channels\.json: is missing/);
  });

  it('says users.json is missing from an export that has only dms.json, instead of calling it no Slack export', () => {
    expect(() =>
      readLayout(sourceOf(['dms.json', 'D024BE91L/2026-01-05.json']), 'export.zip'),
    ).toThrow(
      new InputError(
        'export.zip!users.json: is missing: a Slack export lists its members in users.json (org_users.json on Enterprise Grid); this one has dms.json but no list of members (export again with members included, or add users.json)',
      ),
    );
  });

  it('reads file_conversations.json (canvas conversations, folders FC…) as private channels', () => {
    const layout = readLayout(
      sourceOf(['users.json', 'file_conversations.json', 'FC01CANVAS/2026-01-05.json']),
      'export.zip',
    );
    expect(layout.listings.map(({ listing }) => [listing.file, listing.type])).toEqual([
      ['file_conversations.json', 'private_channel'],
    ]);
    expect(layout.folders.map((folder) => folder.name)).toEqual(['FC01CANVAS']);
  });
});
