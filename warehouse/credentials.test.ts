import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { credentialPath, readCredential, writeCredential } from './credentials.ts';

const SECRET = 'xoxp-canary-0123456789';

describe('credential files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncbalance-credentials-'));

  it('live beside the warehouse, named after it', () => {
    expect(credentialPath('/srv/data/org.duckdb', 'slack-token')).toBe('/srv/data/org.slack-token');
  });

  it('are written owner-only, atomically, and read back', () => {
    const file = join(dir, 'token');
    writeCredential(file, SECRET);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readCredential(file)).toBe(SECRET);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('are refused when others can read them, without echoing the secret', () => {
    const file = join(dir, 'exposed');
    writeFileSync(file, SECRET);
    chmodSync(file, 0o644);
    expect(() => readCredential(file)).toThrow(/readable by other users.*chmod 600/);
    try {
      readCredential(file);
    } catch (error) {
      expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(SECRET);
    }
    expect(readFileSync(file, 'utf8')).toBe(SECRET);
  });

  it('are absent rather than an error when never written', () => {
    expect(readCredential(join(dir, 'missing'))).toBeUndefined();
  });
});
