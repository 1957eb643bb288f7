/**
 * Reads the files of a Slack export, from its ZIP or from the folder it unpacks to, one file at a
 * time. A ZIP is never loaded whole: yauzl lists the central directory (names and sizes only) and
 * each file is inflated on demand through random access, so memory follows the largest single
 * file, not the archive. Every file is capped in size before it is read.
 */
import type { Dirent, Stats } from 'node:fs';
import { open, readdir, readFile, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { openPromise, type ZipFile } from 'yauzl';
import { InputError } from '../../warehouse/errors.ts';

export interface ExportFile {
  /** The path inside the export, with `/` separators (`general/2026-01-05.json`). */
  readonly path: string;
  /** Uncompressed size in bytes, as the archive or the file system declares it. */
  readonly size: number;
}

export interface ExportSource {
  readonly files: readonly ExportFile[];
  /** How errors name a file: `export.zip!general/2026-01-05.json`, or a path on disk. */
  describe(path: string): string;
  /** The file's text, refusing files larger than the cap (checked before and while reading). */
  readText(file: ExportFile): Promise<string>;
  close(): void;
}

export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

const STORED = 0;
const DEFLATED = 8;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
/** A local file header: 30 fixed bytes (lengths of the name and extra field at 26 and 28), then both. */
const LOCAL_HEADER_BYTES = 30;
const NAME_LENGTH_AT = 26;
const EXTRA_LENGTH_AT = 28;
const WINDOW_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 64;

/**
 * Reads byte ranges of the archive through one reused 1 MB window: day files are small and usually
 * stored in the order they are read, so most files cost no system call and no allocation of their
 * own. A range larger than the window gets a buffer of its own. Callers must not overlap: a
 * returned range is valid until the next call.
 */
class WindowedReader {
  readonly #handle: FileHandle;
  readonly #buffer = Buffer.allocUnsafe(WINDOW_BYTES);
  #windowStart = 0;
  #window = Buffer.alloc(0);

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  /** `length` bytes from `offset`, fewer only at the end of the file. */
  async bytes(offset: number, length: number): Promise<Buffer> {
    const start = offset - this.#windowStart;
    if (start >= 0 && start + length <= this.#window.length)
      return this.#window.subarray(start, start + length);
    if (length > WINDOW_BYTES) {
      const own = Buffer.allocUnsafe(length);
      const { bytesRead } = await this.#handle.read(own, 0, length, offset);
      return own.subarray(0, bytesRead);
    }
    this.#window = Buffer.alloc(0);
    const { bytesRead } = await this.#handle.read(this.#buffer, 0, WINDOW_BYTES, offset);
    this.#windowStart = offset;
    this.#window = this.#buffer.subarray(0, bytesRead);
    return this.#window.subarray(0, Math.min(length, bytesRead));
  }

  close(): void {
    void this.#handle.close().catch(() => undefined);
  }
}

/** What reading needs of a central directory entry; yauzl's own objects are much larger. */
interface ZipEntry {
  readonly fileName: string;
  readonly compressionMethod: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  readonly localHeaderOffset: number;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(where: string, size: number | null, limit: number): InputError {
  return InputError.at(
    { file: where },
    `${size === null ? 'larger than' : `is ${megabytes(size)}, over`} the ${megabytes(limit)} limit for one file of a Slack export; nothing was imported`,
  );
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function reasonOf(error: unknown): string {
  // yauzl and zlib describe the archive's structure (offsets, signatures), never file contents.
  return error instanceof Error ? error.message : String(error);
}

/** Opens the export at `path`: a ZIP file, or a folder holding the unpacked export. */
export async function openExportSource(path: string, maxFileBytes: number): Promise<ExportSource> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    throw InputError.at(
      { file: path },
      errorCode(error) === 'ENOENT'
        ? 'no such file or folder'
        : `cannot be read (${errorCode(error) ?? reasonOf(error)})`,
    );
  }
  return isDirectory ? openFolder(path, maxFileBytes) : openZip(path, maxFileBytes);
}

async function openZip(path: string, maxFileBytes: number): Promise<ExportSource> {
  const notAZip = (error: unknown): InputError => {
    const reason = reasonOf(error);
    return InputError.at(
      { file: path },
      `is not a readable ZIP archive: it may be truncated (an interrupted download) or not a ZIP at all (${
        /end of central directory record signature not found/i.test(reason)
          ? 'no ZIP directory at its end'
          : reason
      })`,
    );
  };
  let zip: ZipFile;
  try {
    zip = await openPromise(path, { autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw notAZip(error);
  }
  const entries = new Map<string, ZipEntry>();
  let reader: WindowedReader;
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      entries.set(entry.fileName, {
        fileName: entry.fileName,
        compressionMethod: entry.compressionMethod,
        encrypted: entry.isEncrypted(),
        compressedSize: entry.compressedSize,
        uncompressedSize: entry.uncompressedSize,
        crc32: entry.crc32,
        localHeaderOffset: entry.relativeOffsetOfLocalHeader,
      });
    }
    reader = new WindowedReader(await open(path, 'r'));
  } catch (error) {
    zip.close();
    throw notAZip(error);
  }
  // yauzl's part ends with the directory; file data is read here (see WindowedReader).
  zip.close();
  const describe = (inner: string): string => `${path}!${inner}`;
  const read = async (file: ExportFile): Promise<string> => {
    const where = describe(file.path);
    const entry = entries.get(file.path);
    if (entry === undefined) throw InputError.at({ file: where }, 'is not in the archive');
    if (entry.uncompressedSize > maxFileBytes || entry.compressedSize > maxFileBytes)
      throw tooLarge(where, entry.uncompressedSize, maxFileBytes);
    if (entry.encrypted)
      throw InputError.at({ file: where }, 'is encrypted; export again without a password');
    if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED)
      throw InputError.at(
        { file: where },
        `uses an unsupported compression method (${entry.compressionMethod})`,
      );
    const damaged = (reason: string): InputError =>
      InputError.at({ file: where }, `cannot be read: the archive is damaged (${reason})`);
    let data: Buffer;
    try {
      const header = await reader.bytes(entry.localHeaderOffset, LOCAL_HEADER_BYTES);
      if (header.length < LOCAL_HEADER_BYTES || header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE)
        throw damaged('invalid local file header');
      const dataStart =
        entry.localHeaderOffset +
        LOCAL_HEADER_BYTES +
        header.readUInt16LE(NAME_LENGTH_AT) +
        header.readUInt16LE(EXTRA_LENGTH_AT);
      const compressed = await reader.bytes(dataStart, entry.compressedSize);
      if (compressed.length < entry.compressedSize) throw damaged('the file data is cut short');
      // Synchronous, into one buffer of the declared size: for many small files the
      // asynchronous one-shot costs several times the inflating itself, and zlib's default
      // 16 kB chunks, concatenated, double the garbage per file.
      data =
        entry.compressionMethod === STORED
          ? compressed
          : inflateRawSync(compressed, {
              maxOutputLength: maxFileBytes,
              chunkSize: Math.max(MIN_CHUNK_BYTES, entry.uncompressedSize),
            });
    } catch (error) {
      if (error instanceof InputError) throw error;
      if (errorCode(error) === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(where, null, maxFileBytes);
      throw damaged(reasonOf(error));
    }
    if (data.length !== entry.uncompressedSize)
      throw damaged("its size differs from the archive's directory");
    if (crc32(data) !== entry.crc32) throw damaged('checksum mismatch');
    return decode(data);
  };
  // One file at a time, each inflated and decoded before the next read reuses the window.
  let previous: Promise<unknown> = Promise.resolve();
  return {
    files: [...entries.values()].map((entry) => ({
      path: entry.fileName,
      size: entry.uncompressedSize,
    })),
    describe,
    readText(file) {
      const text = previous.then(() => read(file));
      previous = text.catch(() => undefined);
      return text;
    },
    close() {
      reader.close();
    },
  };
}

async function openFolder(root: string, maxFileBytes: number): Promise<ExportSource> {
  const files: ExportFile[] = [];
  const describe = (inner: string): string => join(root, inner);
  const list = async (relative: string, depth: number): Promise<void> => {
    let children;
    try {
      children = await readdir(join(root, relative), { withFileTypes: true });
    } catch (error) {
      throw InputError.at(
        { file: describe(relative) },
        `cannot be listed (${errorCode(error) ?? reasonOf(error)})`,
      );
    }
    for (const child of children) {
      const path = relative === '' ? child.name : `${relative}/${child.name}`;
      // Listings at the top and day files one folder down, or all of it inside one more folder
      // (the export unpacked into a folder of its own); deeper files are never part of it.
      // Symbolic links are followed (an export copied with links, or day files linked from
      // elsewhere, is read like the files themselves); one pointing at nothing is refused.
      let kind: Dirent | Stats = child;
      if (child.isSymbolicLink()) {
        try {
          kind = await stat(describe(path));
        } catch (error) {
          throw InputError.at(
            { file: describe(path) },
            `is a symbolic link that cannot be followed (${errorCode(error) ?? reasonOf(error)}); nothing was imported`,
          );
        }
      }
      if (kind.isDirectory() && depth < 2) await list(path, depth + 1);
      else if (kind.isFile()) files.push({ path, size: (await stat(describe(path))).size });
    }
  };
  await list('', 0);
  return {
    files,
    describe,
    async readText(file) {
      const where = describe(file.path);
      if (file.size > maxFileBytes) throw tooLarge(where, file.size, maxFileBytes);
      let bytes: Buffer;
      try {
        bytes = await readFile(where);
      } catch (error) {
        throw InputError.at(
          { file: where },
          `cannot be read (${errorCode(error) ?? reasonOf(error)})`,
        );
      }
      if (bytes.length > maxFileBytes) throw tooLarge(where, bytes.length, maxFileBytes);
      return decode(bytes);
    },
    close() {},
  };
}

function decode(bytes: Buffer): string {
  return bytes.toString('utf8');
}

/** Default read-ahead: enough to keep inflating while a file is parsed, small next to the cap. */
const READ_AHEAD_FILES = 8;
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

/**
 * The texts of `items`' files, in order, reading a few files ahead so that inflating and reading
 * the next files overlaps parsing this one. At most `READ_AHEAD_FILES` files, and (beyond the
 * first) `READ_AHEAD_BYTES` of them, are held at once.
 */
export async function* readAhead<T extends { readonly file: ExportFile }>(
  source: ExportSource,
  items: readonly T[],
): AsyncGenerator<{ readonly item: T; readonly text: string }> {
  const pending: { item: T; text: Promise<string> }[] = [];
  let next = 0;
  let bytesAhead = 0;
  const fill = (): void => {
    for (let item = items[next]; item !== undefined; item = items[next]) {
      if (pending.length >= READ_AHEAD_FILES) break;
      if (pending.length > 0 && bytesAhead + item.file.size > READ_AHEAD_BYTES) break;
      const text = source.readText(item.file);
      // Awaited in turn below; this only keeps a failure after an earlier one from going unhandled.
      text.catch(() => undefined);
      pending.push({ item, text });
      bytesAhead += item.file.size;
      next += 1;
    }
  };
  fill();
  for (let head = pending.shift(); head !== undefined; head = pending.shift()) {
    bytesAhead -= head.item.file.size;
    const text = await head.text;
    fill();
    yield { item: head.item, text };
  }
}
