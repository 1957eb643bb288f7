/**
 * `syncbalance connect google --desktop` end to end, with no real Google: the real CLI in a child
 * process runs `@google-cloud/local-auth`, whose "browser" is a script (`BROWSER`, which the `open`
 * package's xdg-open honours) that visits the emulator's authorization endpoint and follows its
 * redirect to local-auth's loopback server. local-auth's own auth library posts the code to
 * Google's token address, which it has built in; the child reaches it through the emulator as its
 * HTTPS proxy, trusting a test CA. Then the connection is checked and used by `googleapis`' own
 * OAuth client, and the test proves that copy signs: the emulator sees the bearer token.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { TEST_SALT, tempDir } from '../helpers/warehouse.ts';
import { startEmulator, timed, writeRoster } from './support.ts';

// Several real CLI processes per test: slow on a busy machine, never a timing assertion.
vi.setConfig({ testTimeout: 240_000 });

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';

/** A throwaway CA and a certificate for oauth2.googleapis.com signed by it. */
function testCertificates(dir: string): { ca: string; key: string; cert: string } {
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=syncbalance test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    at('leaf.key'),
    '-out',
    at('leaf.csr'),
    '-subj',
    '/CN=oauth2.googleapis.com',
  );
  writeFileSync(
    at('leaf.ext'),
    'subjectAltName=DNS:oauth2.googleapis.com\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    at('leaf.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('leaf.pem'),
    '-days',
    '2',
    '-extfile',
    at('leaf.ext'),
  );
  return {
    ca: at('ca.pem'),
    key: readFileSync(at('leaf.key'), 'utf8'),
    cert: readFileSync(at('leaf.pem'), 'utf8'),
  };
}

describe('connect google --desktop', () => {
  it('signs in through local-auth, stores only the refresh token (0600), and googleapis signs every request with it', async () => {
    const emulator = await startEmulator();
    emulator.addUser(ALICE, { timeZone: 'Europe/Berlin' });
    emulator.addUser(BOB, { timeZone: 'Europe/Berlin' });
    emulator.share(BOB, ALICE);
    emulator.desktopUser = ALICE;
    const today = new Date().toISOString().slice(0, 10);
    emulator.putEvent(ALICE, timed('mine', today, '09:00', '10:00'));
    emulator.putEvent(BOB, timed('theirs', today, '11:00', '12:00'));

    const dir = tempDir('syncbalance-google-desktop-');
    const { ca, key, cert } = testCertificates(dir);
    emulator.interceptGoogleTls(key, cert);
    const browser = join(dir, 'browser.sh');
    writeFileSync(
      browser,
      `#!/bin/sh\nexec curl --silent --noproxy '*' --location --output /dev/null "${emulator.url}o/oauth2/v2/auth?\${1#*\\?}"\n`,
    );
    chmodSync(browser, 0o755);
    const clientFile = join(dir, 'client_secret.json');
    writeFileSync(clientFile, JSON.stringify(emulator.clientSecretFile()));
    const config = join(dir, 'syncbalance.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        google: { rootUrl: emulator.url, tokenUrl: emulator.tokenUrl, calendars: [BOB] },
      }),
    );
    const db = join(dir, 'warehouse.duckdb');
    const env = {
      SYNCBALANCE_SALT: TEST_SALT,
      BROWSER: browser,
      DISPLAY: undefined,
      WAYLAND_DISPLAY: undefined,
      XDG_CURRENT_DESKTOP: undefined,
      HTTPS_PROXY: emulator.url,
      NO_PROXY: '127.0.0.1,localhost',
      NODE_EXTRA_CA_CERTS: ca,
    };
    const cli = (...args: string[]) =>
      runCli(['--db', db, '--config', config, ...args], { env, cwd: dir });

    const connected = await cli('connect', 'google', '--desktop', clientFile);
    expect(connected.stderr).not.toContain('error');
    expect(connected.code).toBe(0);
    expect(connected.stdout).toContain(`Connected Google Calendar of ${ALICE}`);

    const authorize = emulator.requests.find((request) => request.path === '/o/oauth2/v2/auth');
    expect(String(authorize?.query['scope']).split(' ').sort()).toEqual([
      'email',
      'https://www.googleapis.com/auth/calendar.events.readonly',
      'https://www.googleapis.com/auth/calendar.settings.readonly',
      'openid',
    ]);
    const grants = emulator.requests
      .filter((request) => request.path === '/token')
      .map((request) => request.grantType);
    expect(grants).toEqual(['authorization_code', 'refresh_token']);

    const file = join(dir, 'warehouse.google.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual([
      'clientId',
      'clientSecret',
      'email',
      'kind',
      'refreshToken',
    ]);
    expect(stored['refreshToken']).toMatch(/^rt_/);

    const roster = await cli(
      'import',
      'roster',
      writeRoster(dir, [{ email: ALICE }, { email: BOB }]),
    );
    expect(roster.code, roster.stderr).toBe(0);
    const synced = await cli('sync', 'google');
    expect(synced.code, synced.stderr).toBe(0);
    expect(synced.stdout).toContain('Synced 2 Google calendars of 2');

    const api = emulator.requests.filter((request) => request.path.startsWith('/calendar/'));
    expect(api.map((request) => request.path)).toContain('/calendar/v3/calendars/primary/events');
    expect(api.map((request) => request.path)).toContain(
      `/calendar/v3/calendars/${encodeURIComponent(BOB)}/events`,
    );
    for (const request of api) expect(request.authorization).toMatch(/^Bearer at_/);
    const output = [connected, roster, synced]
      .map((result) => result.stdout + result.stderr)
      .join('');
    expect(output).not.toContain(stored['refreshToken']);
    expect(output).not.toContain(emulator.clientSecret);
    expect(readFileSync(db).toString('latin1')).not.toContain(stored['refreshToken']);
  });
});
