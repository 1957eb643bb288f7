/**
 * Zips a folder with yazl, as Slack does: one entry per file, paths with '/'. Kept free of test
 * helpers so the benchmark can use it too.
 */
import { createWriteStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { openPromise } from 'yauzl';
import { ZipFile } from 'yazl';

export interface ZipOptions {
  /** A folder every entry is placed under, as when the unpacked folder itself is zipped. */
  readonly prefix?: string;
  /** Store entries uncompressed (so tests can damage a file's bytes predictably). */
  readonly store?: boolean;
}

function filesUnder(folder: string, relative = ''): string[] {
  return readdirSync(join(folder, relative))
    .sort()
    .flatMap((name) => {
      const path = relative === '' ? name : `${relative}/${name}`;
      return statSync(join(folder, path)).isDirectory() ? filesUnder(folder, path) : [path];
    });
}

/** Zips `folder` into `zipPath`, one entry per file, with fixed timestamps. */
export async function zipFolder(
  folder: string,
  zipPath: string,
  options: ZipOptions = {},
): Promise<string> {
  const zip = new ZipFile();
  for (const path of filesUnder(folder)) {
    zip.addFile(join(folder, path), `${options.prefix ?? ''}${path}`, {
      compress: options.store !== true,
      mtime: new Date(Date.UTC(2026, 0, 8)),
    });
  }
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(zipPath));
  return zipPath;
}

/** Overwrites the signature of `inner`'s local header, as a damaged download might. */
export async function damageLocalHeader(zipPath: string, inner: string): Promise<void> {
  const zip = await openPromise(zipPath);
  let offset: number | null = null;
  try {
    for await (const entry of zip.eachEntry())
      if (entry.fileName === inner) offset = entry.relativeOffsetOfLocalHeader;
  } finally {
    zip.close();
  }
  if (offset === null) throw new Error(`${inner} is not in ${zipPath}`);
  const bytes = readFileSync(zipPath);
  bytes[offset] = 0;
  writeFileSync(zipPath, bytes);
}
