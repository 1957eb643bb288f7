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

/**
 * A user's text file (UTF-8, with or without a byte-order mark, which is dropped), or an
 * InputError naming it and why it cannot be read: unreadable, or in UTF-16 or UTF-32.
 */
export function readTextFile(file: string, what: string): string {
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
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
