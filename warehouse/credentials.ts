/**
 * Credentials kept beside the warehouse (OAuth refresh tokens, Slack tokens, SMTP passwords): one
 * file per secret, readable by the owner only. They never go into the warehouse, the config or a
 * log; error messages name the file, never its contents.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from './errors.ts';

/** The file holding credential `name` (e.g. `google-token.json`) for the warehouse at `dbPath`. */
export function credentialPath(dbPath: string, name: string): string {
  return join(dirname(dbPath), `${basename(dbPath).replace(/\.duckdb$/, '')}.${name}`);
}

/**
 * Writes a credential atomically (a temporary file renamed into place) with mode 0600, so a crash
 * never leaves half a token and no other user can read it even for a moment.
 */
export function writeCredential(file: string, contents: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, contents, { mode: 0o600 });
  // The mode above is filtered by the umask; make sure no one else can read the file.
  chmodSync(temporary, 0o600);
  renameSync(temporary, file);
}

/** Whether group or others may read or write the file (POSIX permissions; always false on Windows). */
export function isExposed(file: string): boolean {
  return process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0;
}

/**
 * Reads a credential file, or returns undefined when there is none. A file that others can read is
 * refused: a leaked token is worse than a failed sync.
 */
export function readCredential(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  if (isExposed(file)) {
    throw InputError.at(
      { file },
      `credential file is readable by other users: run 'chmod 600 ${file}' and try again`,
    );
  }
  return readFileSync(file, 'utf8');
}
