/**
 * Sign-in and permissions over real HTTP against the demo warehouse, in each authentication mode:
 * `google` (ID tokens signed by a test key, served from a local certificate endpoint and verified
 * by google-auth-library), `proxy` (identity header trusted only from configured addresses) and
 * `none` (refused on any non-loopback address). Managers, admins and strangers see exactly their
 * teams; a team one may not see is indistinguishable from one that does not exist.
 */
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  CSRF_HEADER,
  errorBodySchema,
  meSchema,
  overviewResponseSchema,
  teamsResponseSchema,
  teamWeeksResponseSchema,
  type Me,
} from '../../server/contract/api.ts';
import { sessionSecretFileFor } from '../../server/auth/secret.ts';
import { startServer } from '../../server/serve.ts';
import { parseConfig } from '../../warehouse/config.ts';
import { InputError } from '../../warehouse/errors.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { runCli } from '../helpers/cli.ts';
import {
  buildDemoWarehouse,
  DEMO_LAST_WEEK,
  DEMO_NOW,
  type DemoWarehouse,
} from './helpers/demo.ts';
import { CLIENT_ID, FakeGoogle, HOSTED_DOMAIN, type IdTokenClaims } from './helpers/google.ts';
import {
  CookieJar,
  parseSetCookie,
  receivedBodies,
  send,
  type HttpOptions,
  type HttpResponse,
} from './helpers/http.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const WEEKS = 3;
/** Manages Engineering/Platform only. */
const MANAGER = `zoe.moreau@${HOSTED_DOMAIN}`;
/** Manages every team below Engineering, but is not in one of them herself. */
const SENIOR_MANAGER = `mei.nguyen@${HOSTED_DOMAIN}`;
/** In the config's admins, not in the roster. */
const ADMIN = `people.ops@${HOSTED_DOMAIN}`;
/** In the roster, with nobody reporting to them. */
const STRANGER = `jonas.haddad@${HOSTED_DOMAIN}`;

const NOT_FOUND = '{"error":{"code":"not_found","message":"team not found"}}';

let demo: DemoWarehouse;
let google: FakeGoogle;
const servers: TestServer[] = [];

function googleConfig(): unknown {
  return {
    admins: [ADMIN],
    server: {
      auth: {
        mode: 'google',
        clientId: CLIENT_ID,
        hostedDomain: HOSTED_DOMAIN,
        certsUrl: google.certsUrl,
      },
    },
  };
}

async function serve(options: Omit<Parameters<typeof startTestServer>[0], 'dbPath'>) {
  const server = await startTestServer({ dbPath: demo.path, ...options });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  demo = await buildDemoWarehouse(parseConfig({}), WEEKS);
  google = await FakeGoogle.start();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.server.close()));
  await google.close();
  demo.remove();
});

function errorOf(response: HttpResponse): { code: string; message: string } {
  return errorBodySchema.parse(response.json()).error;
}

/** One browser on the dashboard's origin: a cookie jar, the Origin header, the CSRF token. */
class Browser {
  readonly jar = new CookieJar();
  csrfToken: string | null = null;
  readonly #base: string;
  readonly #headers: Record<string, string>;

  constructor(base: string, headers: Record<string, string> = {}) {
    this.#base = base;
    this.#headers = headers;
  }

  async request(path: string, options: HttpOptions = {}): Promise<HttpResponse> {
    const cookie = this.jar.header();
    const response = await send(`${this.#base}${path}`, {
      ...options,
      headers: { ...this.#headers, ...(cookie ? { cookie } : {}), ...options.headers },
    });
    this.jar.store(response);
    return response;
  }

  async me(): Promise<Me> {
    const me = meSchema.parse((await this.request('/api/me')).json());
    this.csrfToken = me.csrf_token;
    return me;
  }

  /**
   * A POST as the dashboard sends it: same origin, JSON, with the CSRF token. `headers` override
   * those; an empty value leaves the header out.
   */
  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
    const merged: Record<string, string> = {
      origin: this.#base,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json',
      ...(this.csrfToken === null ? {} : { [CSRF_HEADER]: this.csrfToken }),
      ...headers,
    };
    return this.request(path, {
      method: 'POST',
      headers: Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== '')),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async signIn(claims: IdTokenClaims, options?: Parameters<FakeGoogle['idToken']>[1]) {
    await this.me();
    const response = await this.post('/api/auth/google', {
      credential: google.idToken(claims, options),
    });
    if (response.status === 200) this.csrfToken = meSchema.parse(response.json()).csrf_token;
    return response;
  }
}

describe('google mode', () => {
  let site: TestServer;

  beforeAll(async () => {
    // Far more sign-ins than a person would attempt; the limit has its own test below.
    site = await serve({
      config: googleConfig(),
      signInRateLimit: { windowMs: 60_000, limit: 500 },
    });
  });

  beforeEach(() => {
    site.setNow(DEMO_NOW);
    google.available = true;
  });

  it('tells a signed-out visitor how to sign in, and nothing else', async () => {
    const browser = new Browser(site.url);
    const response = await browser.request('/api/me');
    const me = meSchema.parse(response.json());
    expect(me).toEqual({
      auth_mode: 'google',
      signed_in: false,
      role: 'none',
      visible_teams: [],
      csrf_token: expect.any(String) as string,
      google_client_id: CLIENT_ID,
      min_group_size: 5,
    });
    const [csrfCookie] = response.setCookies().map(parseSetCookie);
    expect(csrfCookie?.name).toBe('syncbalance_csrf');
    expect(csrfCookie?.attributes.has('httponly')).toBe(true);
    expect(csrfCookie?.attributes.get('samesite')).toBe('Strict');
    expect(csrfCookie?.attributes.has('secure')).toBe(false);
    // The token is derived from the cookie, not the cookie itself.
    expect(me.csrf_token).not.toBe(csrfCookie?.value);
    for (const path of [
      '/api/teams',
      '/api/overview',
      '/api/export.csv',
      `/api/teams/Engineering/weeks?from=2026-10-01&to=2026-11-01`,
      `/api/teams/Engineering/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`,
    ]) {
      const denied = await browser.request(path);
      expect(denied.status).toBe(401);
      expect(errorOf(denied).code).toBe('unauthenticated');
    }
  });

  it('signs a manager in with an httpOnly, SameSite, sealed session cookie', async () => {
    const browser = new Browser(site.url);
    await browser.me();
    const tokenBefore = browser.csrfToken;
    const response = await browser.signIn({ email: MANAGER });
    expect(response.status).toBe(200);
    const me = meSchema.parse(response.json());
    expect(me).toMatchObject({
      signed_in: true,
      role: 'manager',
      visible_teams: ['Engineering/Platform'],
    });
    expect(me.csrf_token).not.toBe(tokenBefore);
    const session = response
      .setCookies()
      .map(parseSetCookie)
      .find((cookie) => cookie.name === 'syncbalance_session')!;
    expect(Object.fromEntries(session.attributes)).toEqual({
      path: '/',
      httponly: '',
      samesite: 'Strict',
      'max-age': '28800',
    });
    expect(Buffer.from(session.value, 'base64url').toString('latin1')).not.toContain('zoe');
    expect(response.body).not.toContain(MANAGER);
  });

  it('marks cookies Secure when the browser came over HTTPS through a proxy', async () => {
    const browser = new Browser(site.url, { 'x-forwarded-proto': 'https' });
    const response = await browser.signIn({ email: MANAGER });
    const cookies = response.setCookies().map(parseSetCookie);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual([
      'syncbalance_csrf',
      'syncbalance_session',
    ]);
    expect(cookies.every((cookie) => cookie.attributes.has('secure'))).toBe(true);
  });

  it('shows a manager only their teams, and other teams exactly like missing ones', async () => {
    const browser = new Browser(site.url);
    await browser.signIn({ email: MANAGER });
    const teams = teamsResponseSchema.parse((await browser.request('/api/teams')).json());
    expect(teams.teams.map((team) => [team.path, team.parent_path])).toEqual([
      ['Engineering/Platform', null],
    ]);
    const own = await browser.request(
      '/api/teams/Engineering%2FPlatform/weeks?from=2026-10-26&to=2026-11-09',
    );
    expect(teamWeeksResponseSchema.parse(own.json()).weeks).toHaveLength(WEEKS);

    for (const team of ['Engineering%2FData', 'Engineering', 'Engineering%2FNope', 'Nope']) {
      for (const path of [
        `/api/teams/${team}/weeks?from=2026-10-26&to=2026-11-09`,
        `/api/teams/${team}/distribution?week=${DEMO_LAST_WEEK}&metric=focus_hours`,
        `/api/export.csv?team=${team}`,
      ]) {
        const response = await browser.request(path);
        expect(response.status, path).toBe(404);
        expect(response.body, path).toBe(NOT_FOUND);
      }
    }
    const overview = overviewResponseSchema.parse((await browser.request('/api/overview')).json());
    expect(overview.rows.map((row) => row.team.path)).toEqual(['Engineering/Platform']);
    const csv = await browser.request('/api/export.csv');
    const teamsInCsv = new Set(
      csv.body
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((row) => row.split(',')[0]),
    );
    expect(teamsInCsv).toEqual(new Set(['Engineering/Platform']));
  });

  it("gives a senior manager every report's team, but not the group above them", async () => {
    const browser = new Browser(site.url);
    const me = meSchema.parse((await browser.signIn({ email: SENIOR_MANAGER })).json());
    expect(me.visible_teams).toEqual([
      'Engineering/Data',
      'Engineering/Mobile',
      'Engineering/Payments',
      'Engineering/Platform',
      'Engineering/Security',
    ]);
    expect((await browser.request('/api/export.csv?team=Engineering')).body).toBe(NOT_FOUND);
  });

  it('lets a configured admin see every team', async () => {
    const browser = new Browser(site.url);
    const me = meSchema.parse((await browser.signIn({ email: ADMIN.toUpperCase() })).json());
    expect(me.role).toBe('admin');
    expect(me.visible_teams).toHaveLength(13);
    const teams = teamsResponseSchema.parse((await browser.request('/api/teams')).json());
    expect(teams.teams).toHaveLength(13);
  });

  it('signs in someone with no reports, who is shown no teams at all', async () => {
    const browser = new Browser(site.url);
    const me = meSchema.parse((await browser.signIn({ email: STRANGER })).json());
    expect(me).toMatchObject({ signed_in: true, role: 'none', visible_teams: [] });
    expect(teamsResponseSchema.parse((await browser.request('/api/teams')).json()).teams).toEqual(
      [],
    );
    expect(
      overviewResponseSchema.parse((await browser.request('/api/overview')).json()).rows,
    ).toEqual([]);
    expect((await browser.request('/api/export.csv')).body.split('\r\n')).toHaveLength(2);
    expect(
      (await browser.request('/api/teams/Engineering/weeks?from=2026-10-26&to=2026-11-09')).body,
    ).toBe(NOT_FOUND);
  });

  const now = (): number => Math.floor(Date.now() / 1000);
  const rejected: [string, IdTokenClaims, Parameters<FakeGoogle['idToken']>[1], number, RegExp][] =
    [
      [
        'issued for another client',
        { email: MANAGER, aud: 'other.apps.googleusercontent.com' },
        {},
        401,
        /could not be verified/,
      ],
      [
        'from another issuer',
        { email: MANAGER, iss: 'https://accounts.example.com' },
        {},
        401,
        /could not be verified/,
      ],
      [
        'expired',
        { email: MANAGER, iat: now() - 7200, exp: now() - 3600 },
        {},
        401,
        /could not be verified/,
      ],
      [
        'issued in the future',
        { email: MANAGER, iat: now() + 3600, exp: now() + 7200 },
        {},
        401,
        /could not be verified/,
      ],
      [
        'signed by another key',
        { email: MANAGER },
        { impostor: true },
        401,
        /could not be verified/,
      ],
      [
        'signed by an unknown key id',
        { email: MANAGER },
        { keyId: 'retired-key' },
        401,
        /could not be verified/,
      ],
      [
        'of another Workspace domain',
        { email: 'zoe@other.example', hd: 'other.example' },
        {},
        403,
        /only verified accounts of demo\.syncbalance\.example/,
      ],
      [
        'of a consumer account (no domain)',
        { email: 'zoe.moreau@gmail.com', hd: null },
        {},
        403,
        /only verified accounts/,
      ],
      [
        'with an unverified address',
        { email: MANAGER, email_verified: false },
        {},
        403,
        /only verified accounts/,
      ],
    ];
  it.each(rejected)('refuses an ID token %s', async (_name, claims, options, status, message) => {
    const browser = new Browser(site.url);
    const response = await browser.signIn(claims, options);
    expect(response.status).toBe(status);
    expect(errorOf(response).message).toMatch(message);
    expect(response.body).not.toContain('@');
    expect(browser.jar.get('syncbalance_session')).toBeUndefined();
    expect((await browser.me()).signed_in).toBe(false);
  });

  it('refuses a credential that is not a token, and a missing one', async () => {
    const browser = new Browser(site.url);
    await browser.me();
    const garbage = await browser.post('/api/auth/google', { credential: 'x'.repeat(64) });
    expect(garbage.status).toBe(401);
    const missing = await browser.post('/api/auth/google', {});
    expect(missing.status).toBe(400);
    expect(errorOf(missing).message).toMatch(/^credential: /);
  });

  it('answers 503 when Google’s keys cannot be fetched', async () => {
    google.available = false;
    const response = await new Browser(site.url).signIn({ email: MANAGER });
    expect(response.status).toBe(503);
    expect(errorOf(response).code).toBe('unavailable');
  });

  describe('CSRF', () => {
    const attempts: [string, (browser: Browser, other: Browser) => Record<string, string>][] = [
      ['without the token', () => ({ [CSRF_HEADER]: '' })],
      ['with a made-up token', () => ({ [CSRF_HEADER]: 'A'.repeat(43) })],
      ["with another browser's token", (_browser, other) => ({ [CSRF_HEADER]: other.csrfToken! })],
      ['from another origin', () => ({ origin: 'https://evil.example' })],
      ['without an Origin', () => ({ origin: '' })],
      ['marked cross-site by the browser', () => ({ 'sec-fetch-site': 'cross-site' })],
    ];
    it.each(attempts)('refuses a sign-in %s', async (_name, headers) => {
      const browser = new Browser(site.url);
      const other = new Browser(site.url);
      await browser.me();
      await other.me();
      const response = await browser.post(
        '/api/auth/google',
        { credential: google.idToken({ email: MANAGER }) },
        headers(browser, other),
      );
      expect(response.status).toBe(403);
      expect(errorOf(response).code).toBe('forbidden');
      expect(browser.jar.get('syncbalance_session')).toBeUndefined();
    });

    it('refuses a sign-out without the token, and keeps the session', async () => {
      const browser = new Browser(site.url);
      await browser.signIn({ email: MANAGER });
      const forged = await browser.post('/api/auth/signout', undefined, {
        origin: 'https://evil.example',
      });
      expect(forged.status).toBe(403);
      expect((await browser.me()).signed_in).toBe(true);
    });
  });

  it('signs out by deleting the session cookie', async () => {
    const browser = new Browser(site.url);
    await browser.signIn({ email: MANAGER });
    const response = await browser.post('/api/auth/signout');
    expect(response.status).toBe(204);
    const cleared = response.setCookies().map(parseSetCookie)[0]!;
    expect(cleared.name).toBe('syncbalance_session');
    expect(cleared.attributes.get('max-age')).toBe('0');
    expect((await browser.me()).signed_in).toBe(false);
    expect((await browser.request('/api/teams')).status).toBe(401);
  });

  it('ignores a tampered session and ends a session after 8 hours', async () => {
    const browser = new Browser(site.url);
    await browser.signIn({ email: MANAGER });
    const sealed = browser.jar.get('syncbalance_session')!;
    browser.jar.set('syncbalance_session', `${sealed.slice(0, -2)}AA`);
    expect((await browser.me()).signed_in).toBe(false);
    browser.jar.set('syncbalance_session', sealed);
    site.setNow(new Date(DEMO_NOW.getTime() + 7 * 3600_000));
    expect((await browser.me()).signed_in).toBe(true);
    site.setNow(new Date(DEMO_NOW.getTime() + 8 * 3600_000 + 1000));
    expect((await browser.me()).signed_in).toBe(false);
  });

  it('allows the Google Identity Services button, and only in this mode', async () => {
    const response = await send(`${site.url}/`);
    const csp = response.header('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' https://accounts.google.com/gsi/client");
    expect(csp).toContain('frame-src https://accounts.google.com/gsi/');
    expect(csp).toContain("connect-src 'self' https://accounts.google.com/gsi/");
    expect(response.header('cross-origin-opener-policy')).toBe('same-origin-allow-popups');
    expect(response.header('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('rate-limits sign-in attempts per client', async () => {
    const limited = await serve({
      config: googleConfig(),
      signInRateLimit: { windowMs: 60_000, limit: 2 },
    });
    const browser = new Browser(limited.url);
    expect((await browser.signIn({ email: MANAGER })).status).toBe(200);
    expect((await browser.signIn({ email: MANAGER, aud: 'wrong' })).status).toBe(401);
    const third = await browser.signIn({ email: MANAGER });
    expect(third.status).toBe(429);
    expect(errorOf(third)).toEqual({
      code: 'rate_limited',
      message: 'too many sign-in attempts: wait a few minutes',
    });
    expect(third.header('ratelimit-policy')).toBeDefined();
  });

  it('rate-limits each client on its own behind a trusted TLS proxy, and ignores the header otherwise', async () => {
    const config = googleConfig() as { server: { auth: Record<string, unknown> } };
    const behindProxy = await serve({
      config: {
        ...config,
        server: { auth: { ...config.server.auth, trustedProxies: ['127.0.0.1'] } },
      },
      signInRateLimit: { windowMs: 60_000, limit: 1 },
    });
    const alice = new Browser(behindProxy.url, { 'X-Forwarded-For': '198.51.100.1' });
    const bob = new Browser(behindProxy.url, { 'X-Forwarded-For': '198.51.100.2' });
    expect((await alice.signIn({ email: MANAGER })).status).toBe(200);
    expect((await bob.signIn({ email: MANAGER })).status).toBe(200);
    expect((await alice.signIn({ email: MANAGER })).status).toBe(429);

    const untrusted = await serve({
      config: googleConfig(),
      signInRateLimit: { windowMs: 60_000, limit: 1 },
    });
    expect(
      (
        await new Browser(untrusted.url, { 'X-Forwarded-For': '198.51.100.1' }).signIn({
          email: MANAGER,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await new Browser(untrusted.url, { 'X-Forwarded-For': '198.51.100.2' }).signIn({
          email: MANAGER,
        })
      ).status,
    ).toBe(429);
  });

  it('keeps a generated session secret beside the warehouse, readable by its owner only', async () => {
    const first = await serve({ config: googleConfig(), env: {} });
    const file = sessionSecretFileFor(demo.path);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.reporter.infos[0]).toContain(file);
    const browser = new Browser(first.url);
    await browser.signIn({ email: MANAGER });
    await first.server.close();
    // A restart reads the same secret: the session survives.
    const second = await serve({ config: googleConfig(), env: {} });
    const again = new Browser(second.url);
    again.jar.set('syncbalance_session', browser.jar.get('syncbalance_session')!);
    expect((await again.me()).role).toBe('manager');
  });

  it('logs requests without addresses, cookies or tokens', () => {
    const log = [...site.reporter.infos, ...site.reporter.warnings].join('\n');
    expect(log).not.toMatch(/@/);
    expect(log).not.toContain('syncbalance_session');
    const lines = site.reporter.infos.map((line) =>
      z
        .strictObject({
          time: z.string(),
          method: z.string(),
          route: z.string().nullable(),
          status: z.number(),
          duration_ms: z.number(),
          aborted: z.literal(true).optional(),
        })
        .parse(JSON.parse(line)),
    );
    expect(lines.some((line) => line.route === '/api/auth/google' && line.status === 403)).toBe(
      true,
    );
  });
});

describe('proxy mode', () => {
  function proxyConfig(trustedProxies: string[], headerFormat?: string): unknown {
    return {
      admins: [ADMIN],
      server: {
        auth: {
          mode: 'proxy',
          header: 'X-Forwarded-Email',
          trustedProxies,
          ...(headerFormat === undefined ? {} : { headerFormat }),
        },
      },
    };
  }

  it('takes the identity from the header of a trusted proxy', async () => {
    const site = await serve({ config: proxyConfig(['127.0.0.1']) });
    const as = async (headers: Record<string, string>): Promise<Me> =>
      meSchema.parse((await send(`${site.url}/api/me`, { headers })).json());
    expect(await as({ 'x-forwarded-email': MANAGER })).toMatchObject({
      auth_mode: 'proxy',
      signed_in: true,
      role: 'manager',
      visible_teams: ['Engineering/Platform'],
      csrf_token: null,
    });
    expect((await as({ 'x-forwarded-email': ADMIN.toUpperCase() })).role).toBe('admin');
    expect(await as({})).toMatchObject({ signed_in: false, role: 'none', visible_teams: [] });
    const anonymous = await send(`${site.url}/api/teams`);
    expect(anonymous.status).toBe(401);
    const weeks = await send(
      `${site.url}/api/teams/Engineering%2FData/weeks?from=2026-10-26&to=2026-11-09`,
      { headers: { 'x-forwarded-email': MANAGER } },
    );
    expect(weeks.body).toBe(NOT_FOUND);
    expect(site.reporter.infos.join('\n')).not.toMatch(/@/);
  });

  it('reads the Identity-Aware Proxy form only when configured, and then only that form', async () => {
    const iap = await serve({ config: proxyConfig(['127.0.0.1'], 'google-iap') });
    const me = await send(`${iap.url}/api/me`, {
      headers: { 'x-forwarded-email': `accounts.google.com:${ADMIN}` },
    });
    expect(meSchema.parse(me.json()).role).toBe('admin');
    const bare = await send(`${iap.url}/api/me`, { headers: { 'x-forwarded-email': ADMIN } });
    expect(bare.status).toBe(401);
    const plain = await serve({ config: proxyConfig(['127.0.0.1']) });
    const prefixed = await send(`${plain.url}/api/me`, {
      headers: { 'x-forwarded-email': `accounts.google.com:${ADMIN}` },
    });
    expect(prefixed.status).toBe(401);
  });

  it('refuses with 401 a repeated, comma-joined or malformed identity header, and logs it without the value', async () => {
    const site = await serve({ config: proxyConfig(['127.0.0.1'], 'google-iap') });
    // The attack of issue 12: a manager's own copy next to the proxy's, or appended to it.
    const attempts: Record<string, string | string[]>[] = [
      { 'x-forwarded-email': [`accounts.google.com:${MANAGER}`, `accounts.google.com:${ADMIN}`] },
      { 'x-forwarded-email': `accounts.google.com:${MANAGER}, accounts.google.com:${ADMIN}` },
      { 'x-forwarded-email': `accounts.google.com:${MANAGER},accounts.google.com:${ADMIN}` },
      { 'x-forwarded-email': `accounts.google.com:evil:accounts.google.com:${ADMIN}` },
      { 'x-forwarded-email': 'accounts.google.com:not an address' },
      { 'x-forwarded-email': '' },
    ];
    for (const headers of attempts) {
      for (const path of ['/api/me', '/api/teams', '/']) {
        const answer = await send(`${site.url}${path}`, { headers });
        expect(answer.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(errorOf(answer).code).toBe('unauthenticated');
        expect(answer.body).not.toContain('@');
      }
    }
    expect(site.reporter.warnings.length).toBe(attempts.length * 3);
    const log = [...site.reporter.warnings, ...site.reporter.infos].join('\n');
    expect(log).not.toMatch(/@|evil|not an address/);
    expect(site.reporter.warnings[0]).toContain('X-Forwarded-Email more than once');
  });

  it('refuses every request that does not come from a trusted proxy address', async () => {
    // The server listens on 127.0.0.1; only connections from 127.0.0.2 are the proxy's.
    const site = await serve({ config: proxyConfig(['127.0.0.2']) });
    for (const path of ['/api/health', '/api/me', '/api/teams', '/']) {
      const direct = await send(`${site.url}${path}`, {
        headers: { 'x-forwarded-email': ADMIN },
      });
      expect(direct.status, path).toBe(403);
      expect(errorOf(direct)).toEqual({
        code: 'forbidden',
        message: 'this server only answers requests that come through its reverse proxy',
      });
    }
    const viaProxy = await send(`${site.url}/api/me`, {
      headers: { 'x-forwarded-email': ADMIN },
      localAddress: '127.0.0.2',
    });
    expect(meSchema.parse(viaProxy.json()).role).toBe('admin');
  });
});

describe('mode none', () => {
  it.each(['0.0.0.0', '192.0.2.10', '::'])('refuses to listen on %s', async (host) => {
    await expect(
      startServer({
        config: parseConfig({}),
        env: {},
        dbPath: demo.path,
        host,
        port: 0,
        reporter: silentReporter,
      }),
    ).rejects.toThrow(InputError);
  });

  it('says why through the CLI, with the exit code for bad input', async () => {
    const result = await runCli(['--db', demo.path, 'serve', '--host', '0.0.0.0', '--port', '0'], {
      cwd: demo.dir,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without sign-in/);
    expect(result.stderr).toMatch(/loopback/);
  });
});

describe('privacy', () => {
  it('never returns a roster email, name or person id in any mode', () => {
    const everything = [...new Set(receivedBodies)].join('\n');
    expect(demo.personal.filter((value) => everything.includes(value))).toEqual([]);
  });
});
