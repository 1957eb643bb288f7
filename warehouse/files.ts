import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { InputError } from './errors.ts';

/**
 * Byte-order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE).
 * A file in one of them decodes as UTF-8 into NULs and mojibake, which then fails with a misleading
 * error (a "quote" or "unknown column" in a roster): say what it is instead.
 */
const OTHER_BOMS: readonly { readonly bytes: readonly number[]; readonly name: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], name: 'UTF-32 (big-endian)' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], name: 'UTF-32 (little-endian)' },
  { bytes: [0xfe, 0xff], name: 'UTF-16 (big-endian)' },
  { bytes: [0xff, 0xfe], name: 'UTF-16 (little-endian)' },
];

/** The encoding a file's byte-order mark names, when it is not UTF-8. */
export function otherEncoding(bytes: Uint8Array): string | null {
  const found = OTHER_BOMS.find(({ bytes: bom }) =>
    bom.every((byte, index) => bytes[index] === byte),
  );
  return found?.name ?? null;
}

/** Offset of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  if (isUtf8(bytes)) return -1;
  for (let index = 0; index < bytes.length;) {
    const lead = bytes[index] ?? 0;
    if (lead < 0x80) {
      index += 1;
      continue;
    }
    const length =
      lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
    if (length === 0) return index;
    const second = bytes[index + 1] ?? 0;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return index;
    for (let next = 2; next < length; next++) {
      if (((bytes[index + next] ?? 0) & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return -1;
}

export interface ReadTextOptions {
  /**
   * What to do with bytes that are not UTF-8: 'refuse' (an InputError with the line and column,
   * for files whose every value is kept, such as a roster's emails, where U+FFFD would never
   * match anything) or 'replace' with U+FFFD (for files whose text is mostly dropped anyway).
   */
  readonly invalidUtf8?: 'refuse' | 'replace';
}

/**
 * A user's text file (UTF-8, with or without a byte-order mark, which is dropped), or an
 * InputError naming it and why it cannot be read: unreadable, in UTF-16 or UTF-32, or (when asked)
 * not valid UTF-8.
 */
export function readTextFile(file: string, what: string, options: ReadTextOptions = {}): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw InputError.at(
      { file },
      `cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
  const encoding = otherEncoding(bytes);
  if (encoding !== null) {
    throw InputError.at(
      { file },
      `the ${what} is encoded in ${encoding}; save it as UTF-8 and try again`,
    );
  }
  if (options.invalidUtf8 === 'refuse') {
    const invalid = firstInvalidUtf8(bytes);
    if (invalid >= 0) {
      const lineStart = invalid === 0 ? 0 : bytes.lastIndexOf(0x0a, invalid - 1) + 1;
      const line = bytes.subarray(0, lineStart).filter((byte) => byte === 0x0a).length + 1;
      const column = bytes.subarray(lineStart, invalid).toString('utf8').length + 1;
      throw InputError.at(
        { file, line, column },
        `is not valid UTF-8 (byte 0x${(bytes[invalid] ?? 0).toString(16).toUpperCase().padStart(2, '0')}): save the ${what} as UTF-8 and try again`,
      );
    }
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
