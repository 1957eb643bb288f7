/**
 * Pseudonymous keys. People, Slack accounts, conversations and calendar events are stored under a
 * keyed hash (HMAC-SHA256 with a per-installation salt) of their natural identifier, so the
 * warehouse can join sources without holding addresses or ids that resolve to a person elsewhere.
 * The same salt must be used for every import into one warehouse; `meta.settings` keeps a
 * fingerprint of it so a changed salt is refused instead of silently splitting people in two.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Warehouse } from './db.ts';
import { InputError, RuntimeFailure } from './errors.ts';

type KeyKind = 'person' | 'slack-user' | 'slack-conversation' | 'calendar-event';

const PREFIX: Record<KeyKind, string> = {
  person: 'p_',
  'slack-user': 'su_',
  'slack-conversation': 'sc_',
  'calendar-event': 'ev_',
};

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export class Pseudonymizer {
  readonly #salt: Buffer;

  constructor(salt: string | Buffer) {
    this.#salt = Buffer.isBuffer(salt) ? salt : Buffer.from(salt, 'utf8');
  }

  #key(kind: KeyKind, value: string): string {
    // 96 bits: collision-free for any organisation, short enough to read in a notebook.
    const digest = createHmac('sha256', this.#salt).update(`${kind}\0${value}`).digest('hex');
    return PREFIX[kind] + digest.slice(0, 24);
  }

  /** The key of a person, from any spelling of their email address. */
  person(email: string): string {
    return this.#key('person', normaliseEmail(email));
  }

  slackUser(userId: string): string {
    return this.#key('slack-user', userId.trim());
  }

  slackConversation(conversationId: string): string {
    return this.#key('slack-conversation', conversationId.trim());
  }

  calendarEvent(uid: string): string {
    return this.#key('calendar-event', uid);
  }

  /** A value that identifies the salt without revealing it. */
  fingerprint(): string {
    return createHmac('sha256', this.#salt)
      .update('syncbalance salt fingerprint')
      .digest('hex')
      .slice(0, 16);
  }
}

export function saltFileFor(databasePath: string): string {
  return `${databasePath}.salt`;
}

export interface SaltSource {
  readonly salt: string;
  /** Set when this call created the salt file, so the CLI can tell the user once. */
  readonly createdFile: string | null;
}

/**
 * The salt from `SYNCBALANCE_SALT`, else from the file beside the database, else a new random one
 * written there with owner-only permissions.
 */
export function resolveSalt(databasePath: string, fromEnvironment: string | undefined): SaltSource {
  if (fromEnvironment !== undefined) return { salt: fromEnvironment, createdFile: null };
  const file = saltFileFor(databasePath);
  if (existsSync(file)) {
    const salt = readFileSync(file, 'utf8').trim();
    if (salt.length < 16)
      throw InputError.at({ file }, 'the salt file is damaged (fewer than 16 characters)');
    return { salt, createdFile: null };
  }
  const salt = randomBytes(32).toString('base64url');
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${salt}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    throw new RuntimeFailure(`cannot write the salt file ${file}: ${(error as Error).message}`);
  }
  return { salt, createdFile: file };
}

/**
 * The pseudonymizer for imports into `db`, refusing a salt other than the one the warehouse's
 * earlier imports used: every person would silently get a second, unrelated key.
 */
export async function pseudonymizerFor(db: Warehouse, salt: string): Promise<Pseudonymizer> {
  const pseudonymizer = new Pseudonymizer(salt);
  const stored = await storedFingerprint(db);
  if (stored !== null && stored !== pseudonymizer.fingerprint()) {
    throw new RuntimeFailure(
      `the salt differs from the one the warehouse ${db.path} was built with, so new imports would not match existing people: restore the original SYNCBALANCE_SALT or ${saltFileFor(db.path)}, or start a new warehouse`,
    );
  }
  return pseudonymizer;
}

async function storedFingerprint(db: Warehouse): Promise<string | null> {
  const row = await db.one(`SELECT value FROM meta.settings WHERE key = 'salt_fingerprint'`);
  return typeof row?.['value'] === 'string' ? row['value'] : null;
}

/** Records the salt's fingerprint at the first import (inside its transaction, see `beginRun`). */
export async function recordSaltFingerprint(
  db: Warehouse,
  pseudonymizer: Pseudonymizer,
): Promise<void> {
  if ((await storedFingerprint(db)) === null) {
    await db.run(`INSERT INTO meta.settings VALUES ('salt_fingerprint', $1)`, [
      pseudonymizer.fingerprint(),
    ]);
  }
}
