/**
 * The session secret: `SYNCBALANCE_SESSION_SECRET`, else a file beside the warehouse, created once
 * with owner-only permissions (like the pseudonymisation salt), so sessions survive restarts
 * without anyone having to manage a secret for a single-server install.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError, RuntimeFailure } from '../../warehouse/errors.ts';

export function sessionSecretFileFor(databasePath: string): string {
  return `${databasePath}.session-secret`;
}

export interface SessionSecret {
  readonly secret: string;
  /** Set when this call created the file, so the caller can say so once. */
  readonly createdFile: string | null;
}

const MIN_LENGTH = 32;

export function resolveSessionSecret(
  databasePath: string,
  fromEnvironment: string | undefined,
): SessionSecret {
  if (fromEnvironment !== undefined) return { secret: fromEnvironment, createdFile: null };
  const file = sessionSecretFileFor(databasePath);
  if (existsSync(file)) {
    const secret = readFileSync(file, 'utf8').trim();
    if (secret.length < MIN_LENGTH)
      throw InputError.at(
        { file },
        `the session secret file is damaged (fewer than ${MIN_LENGTH} characters): delete it to have a new one generated (everyone will have to sign in again)`,
      );
    return { secret, createdFile: null };
  }
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    // The mode above is filtered by the umask; make sure no one else can read the file.
    chmodSync(file, 0o600);
  } catch (error) {
    throw new RuntimeFailure(
      `cannot write the session secret file ${file}: ${(error as Error).message}`,
    );
  }
  return { secret, createdFile: file };
}
