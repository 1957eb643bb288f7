/**
 * Bad input that used to end in "internal error" (exit 1, no file named) or in a misleading
 * message: each now exits 2 naming the file and, where there is one, the key or line.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { otherEncoding, readTextFile } from '../../warehouse/files.ts';
import { runCli } from '../helpers/cli.ts';
import { tempDir, TEST_SALT } from '../helpers/warehouse.ts';

const env = { SYNCBALANCE_SALT: TEST_SALT };

/** `text` with a byte-order mark in the given encoding. */
function encoded(text: string, encoding: 'utf16le' | 'utf16be' | 'utf32le' | 'utf32be'): Buffer {
  const units = Array.from(text, (char) => char.codePointAt(0) ?? 0);
  const bom = 0xfeff;
  if (encoding === 'utf16le') return Buffer.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
  if (encoding === 'utf16be')
    return Buffer.from(Buffer.from([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]).swap16());
  const buffer = Buffer.alloc(4 * (units.length + 1));
  [bom, ...units].forEach((unit, index) => {
    if (encoding === 'utf32le') buffer.writeUInt32LE(unit, index * 4);
    else buffer.writeUInt32BE(unit, index * 4);
  });
  return buffer;
}

describe('config errors', () => {
  it('refuses a YAML alias bomb with exit code 2, naming the file, line and key', async () => {
    const dir = tempDir();
    const config = join(dir, 'bomb.yaml');
    writeFileSync(
      config,
      [
        'a: &a ["x","x","x","x","x","x","x","x","x"]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
        'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
        '',
      ].join('\n'),
    );
    const result = await runCli(['--config', config, '--db', join(dir, 'w.duckdb'), 'build'], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: ${config}:2 b: aliases (*name) expand to more than 100 copies, which would exhaust memory (a "YAML bomb"): write the values out instead\n`,
    );
  });

  it('refuses minGroupSize: 1e12 with exit code 2, naming the file and key', async () => {
    const dir = tempDir();
    const config = join(dir, 'big.yaml');
    writeFileSync(config, 'minGroupSize: 1e12\n');
    const result = await runCli(['--config', config, '--db', join(dir, 'w.duckdb'), 'build'], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${config} minGroupSize: must be at most 1,000,000`);
  });

  it('says a UTF-32 config file is UTF-32', async () => {
    const dir = tempDir();
    const config = join(dir, 'utf32.yaml');
    writeFileSync(config, encoded('minGroupSize: 5\n', 'utf32le'));
    const result = await runCli(['--config', config, '--db', join(dir, 'w.duckdb'), 'build'], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: ${config}: the config file is encoded in UTF-32 (little-endian); save it as UTF-8 and try again\n`,
    );
  });
});

describe('text files in other encodings', () => {
  it('says a UTF-16 roster is UTF-16 instead of reporting quotes and unknown columns', async () => {
    const dir = tempDir();
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, encoded('email,team\nada@example.com,Eng\n', 'utf16le'));
    const result = await runCli(['--db', join(dir, 'w.duckdb'), 'import', 'roster', roster], {
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: ${roster}: the roster is encoded in UTF-16 (little-endian); save it as UTF-8 and try again\n`,
    );
  });

  it('recognises every UTF-16 and UTF-32 byte-order mark, and drops a UTF-8 one', () => {
    expect(
      (['utf16le', 'utf16be', 'utf32le', 'utf32be'] as const).map((encoding) =>
        otherEncoding(encoded('a', encoding)),
      ),
    ).toEqual([
      'UTF-16 (little-endian)',
      'UTF-16 (big-endian)',
      'UTF-32 (little-endian)',
      'UTF-32 (big-endian)',
    ]);
    const file = join(tempDir(), 'bom.csv');
    writeFileSync(file, '\uFEFFemail,team\n');
    expect(readTextFile(file, 'roster')).toBe('email,team\n');
    expect(otherEncoding(Buffer.from('email', 'utf8'))).toBeNull();
  });
});
