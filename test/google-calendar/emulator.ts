/**
 * A Google emulator for tests: a real HTTP server on loopback (port 0) implementing the parts of
 * Calendar v3, the Admin SDK Directory API and the OAuth 2.0 endpoints that the sync uses, over an
 * in-memory store that tests change between syncs. The real `googleapis` client talks to it.
 *
 * - `events.list`: `timeMin`/`timeMax`, `eventTypes`, `showDeleted`, paging with `pageToken` (pages
 *   may be short), `nextSyncToken` on the last page only, incremental results by sync token
 *   (changed and cancelled items, cancelled ones reduced to what Google sends), 410 on a revoked
 *   token, the `fields` mask applied (unless `ignoreFieldMask`, to prove minimisation at the door).
 * - `settings.get('timezone')`, `users.list` (paged), the token endpoint (authorization code,
 *   refresh token, and the JWT-bearer grant of service accounts with signature check), and the
 *   authorization endpoint, which redirects to the loopback redirect URI with a code.
 * - Failures on demand (403 rate limits, 429, 5xx), requests held open (for crash tests), and a
 *   record of every request with its query and `Authorization` header.
 */
import { createHash, generateKeyPairSync, randomBytes, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface EventTime {
  dateTime?: string;
  date?: string;
  timeZone?: string;
}

/** An event as the Calendar API returns it (free-text fields included, to test they are dropped). */
export interface ApiEvent {
  id: string;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  eventType?: string;
  start?: EventTime;
  end?: EventTime;
  recurringEventId?: string;
  originalStartTime?: EventTime;
  transparency?: 'opaque' | 'transparent';
  visibility?: string;
  organizer?: { email: string; self?: boolean; displayName?: string };
  creator?: { email: string; self?: boolean; displayName?: string };
  attendees?: {
    email: string;
    responseStatus?: string;
    resource?: boolean;
    self?: boolean;
    optional?: boolean;
    organizer?: boolean;
    displayName?: string;
    comment?: string;
  }[];
  attendeesOmitted?: boolean;
  [freeText: string]: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | string[]>>;
  readonly authorization: string | null;
  /** For token requests: the grant type. */
  readonly grantType: string | null;
}

export interface Failure {
  readonly status: number;
  readonly reason?: string;
}

interface StoredEvent {
  event: ApiEvent;
  seq: number;
}

interface CalendarStore {
  events: Map<string, StoredEvent>;
  timeZone: string;
  /** Bumped by `revokeSyncTokens`: older tokens get 410. */
  generation: number;
}

interface User {
  email: string;
  settingsTimeZone: string | null;
  inDirectory: boolean;
  suspended: boolean;
  extra: Record<string, unknown>;
}

interface Grant {
  subject: string;
  scopes: string[];
}

interface PageCursor {
  items: ApiEvent[];
  offset: number;
  page: number;
  syncToken: string;
}

export interface EmulatorOptions {
  /** Largest page the emulator serves, whatever `maxResults` asks (forces paging in tests). */
  readonly maxPageSize?: number;
  /** Pages shorter than the page size now and then, as Google does. */
  readonly shortPages?: boolean;
  /** Return every field whatever the mask says (a misbehaving server, for canary tests). */
  readonly ignoreFieldMask?: boolean;
  readonly directoryPageSize?: number;
}

const CALENDAR_READ_SCOPES = [
  'https://www.googleapis.com/auth/calendar.events.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];
const SETTINGS_SCOPES = [
  'https://www.googleapis.com/auth/calendar.settings.readonly',
  'https://www.googleapis.com/auth/calendar.readonly',
];
const DIRECTORY_SCOPE = 'https://www.googleapis.com/auth/admin.directory.user.readonly';

export class GoogleEmulator {
  readonly requests: RecordedRequest[] = [];
  readonly options: EmulatorOptions;
  readonly serviceAccountEmail = 'syncbalance@emulated-project.iam.gserviceaccount.com';
  readonly clientId = 'emulated-client.apps.googleusercontent.com';
  readonly clientSecret = `secret-${randomBytes(8).toString('hex')}`;
  /** Who "signs in" at the authorization endpoint. */
  desktopUser: string | null = null;
  /** Domain-wide delegation granted to the service account (else the JWT grant is refused). */
  delegation = true;

  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  readonly #calendars = new Map<string, CalendarStore>();
  readonly #users = new Map<string, User>();
  readonly #admins = new Set<string>();
  readonly #shares = new Map<string, Set<string>>();
  readonly #accessTokens = new Map<string, Grant>();
  readonly #refreshTokens = new Map<string, Grant>();
  readonly #codes = new Map<string, Grant & { redirectUri: string }>();
  readonly #syncTokens = new Map<string, { calendar: string; seq: number; generation: number }>();
  readonly #cursors = new Map<string, PageCursor>();
  readonly #failures: { match: (request: RecordedRequest) => boolean; failure: Failure }[] = [];
  readonly #holds: { match: (request: RecordedRequest) => boolean; arrived: () => void }[] = [];
  readonly #keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  #seq = 0;
  #counter = 0;

  private constructor(server: Server, options: EmulatorOptions) {
    this.#server = server;
    this.options = options;
  }

  static async start(options: EmulatorOptions = {}): Promise<GoogleEmulator> {
    const holder: { emulator?: GoogleEmulator } = {};
    const server = createServer((request, response) => {
      holder.emulator?.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(JSON.stringify({ error: { code: 500, message: String(error) } }));
      });
    });
    const emulator = new GoogleEmulator(server, options);
    holder.emulator = emulator;
    const sockets = emulator.#sockets;
    server.on('connection', (socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return emulator;
  }

  /**
   * Serves `https://oauth2.googleapis.com/token` too, to a client that reaches it through this
   * server as its HTTPS proxy (`HTTPS_PROXY`) and trusts the test CA that signed `cert`. Only for
   * `@google-cloud/local-auth`, whose bundled auth library has Google's token address built in.
   * CONNECT to any other host is refused: nothing gets through to the internet.
   */
  interceptGoogleTls(key: string, cert: string): void {
    this.#server.on('connect', (request: IncomingMessage, socket: Socket) => {
      if (request.url !== 'oauth2.googleapis.com:443') {
        socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
        const secure = new TLSSocket(socket, { isServer: true, key, cert });
        this.#server.emit('connection', secure);
      });
    });
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/`;
  }

  get tokenUrl(): string {
    return `${this.url}token`;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  // ── the store ────────────────────────────────────────────────────────────────────────────

  addUser(
    email: string,
    options: {
      timeZone?: string;
      settingsTimeZone?: string | null;
      inDirectory?: boolean;
      suspended?: boolean;
      admin?: boolean;
      extra?: Record<string, unknown>;
    } = {},
  ): void {
    this.#users.set(email, {
      email,
      settingsTimeZone:
        options.settingsTimeZone === undefined
          ? (options.timeZone ?? 'UTC')
          : options.settingsTimeZone,
      inDirectory: options.inDirectory ?? true,
      suspended: options.suspended ?? false,
      extra: options.extra ?? {},
    });
    if (!this.#calendars.has(email)) {
      this.#calendars.set(email, {
        events: new Map(),
        timeZone: options.timeZone ?? 'UTC',
        generation: 0,
      });
    }
    if (options.admin === true) this.#admins.add(email);
  }

  /** Lets `reader` read `owner`'s calendar (a desktop account syncing colleagues' calendars). */
  share(owner: string, reader: string): void {
    const readers = this.#shares.get(owner) ?? new Set<string>();
    readers.add(reader);
    this.#shares.set(owner, readers);
  }

  #calendar(email: string): CalendarStore {
    const calendar = this.#calendars.get(email);
    if (calendar === undefined) throw new Error(`no calendar ${email} in the emulator`);
    return calendar;
  }

  /** Adds or changes an event (or one instance of a series). */
  putEvent(calendar: string, event: ApiEvent): void {
    this.#seq += 1;
    this.#calendar(calendar).events.set(event.id, {
      event: structuredClone(event),
      seq: this.#seq,
    });
  }

  /** Cancels (deletes) an event or instance; incremental syncs report it as cancelled. */
  cancelEvent(calendar: string, id: string): void {
    const stored = this.#calendar(calendar).events.get(id);
    if (stored === undefined) throw new Error(`no event ${id} on ${calendar}`);
    this.#seq += 1;
    stored.event = { ...stored.event, status: 'cancelled' };
    stored.seq = this.#seq;
  }

  /** Forgets an event entirely, as Google does with deletions older than a sync token can reach. */
  purgeEvent(calendar: string, id: string): void {
    this.#calendar(calendar).events.delete(id);
  }

  eventsOf(calendar: string): ApiEvent[] {
    return [...this.#calendar(calendar).events.values()].map((stored) => stored.event);
  }

  /** Every sync token of the calendar becomes invalid: the next incremental sync gets 410. */
  revokeSyncTokens(calendar: string): void {
    this.#calendar(calendar).generation += 1;
  }

  /** The next requests matching `match` fail with these statuses, one each, in order. */
  failNext(match: (request: RecordedRequest) => boolean, failures: readonly Failure[]): void {
    for (const failure of failures) this.#failures.push({ match, failure });
  }

  /** The first request matching `match` is never answered; the promise resolves when it arrives. */
  hold(match: (request: RecordedRequest) => boolean): Promise<void> {
    return new Promise((resolve) => {
      this.#holds.push({ match, arrived: resolve });
    });
  }

  /** A service account key file's contents, as IAM downloads it. */
  serviceAccountKey(): Record<string, string> {
    return {
      type: 'service_account',
      project_id: 'emulated-project',
      private_key_id: 'emulated-key',
      private_key: this.#keys.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      client_email: this.serviceAccountEmail,
      client_id: '1234567890',
      token_uri: 'https://oauth2.googleapis.com/token',
    };
  }

  /** A desktop OAuth client file, as the Cloud console downloads it. */
  clientSecretFile(): Record<string, unknown> {
    return {
      installed: {
        client_id: this.clientId,
        client_secret: this.clientSecret,
        project_id: 'emulated-project',
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: 'https://oauth2.googleapis.com/token',
        redirect_uris: ['http://localhost'],
      },
    };
  }

  /** A refresh token for `email`, as a desktop sign-in would have left (for sync tests). */
  issueRefreshToken(email: string, scopes: readonly string[]): string {
    const token = `rt_${this.#next()}_${randomBytes(6).toString('hex')}`;
    this.#refreshTokens.set(token, { subject: email, scopes: [...scopes] });
    return token;
  }

  /** Requests to the Calendar API's events.list. */
  eventRequests(): RecordedRequest[] {
    return this.requests.filter((request) => request.path.endsWith('/events'));
  }

  #next(): number {
    this.#counter += 1;
    return this.#counter;
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────────────────────

  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const body = request.method === 'POST' ? await readBody(request) : '';
    const form = new URLSearchParams(body);
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      query,
      authorization: request.headers.authorization ?? null,
      grantType: url.pathname === '/token' ? form.get('grant_type') : null,
    };
    this.requests.push(recorded);

    const hold = this.#holds.findIndex((candidate) => candidate.match(recorded));
    if (hold !== -1) {
      const [held] = this.#holds.splice(hold, 1);
      held?.arrived();
      return; // never answered
    }
    const failure = this.#failures.findIndex((candidate) => candidate.match(recorded));
    if (failure !== -1) {
      const [failed] = this.#failures.splice(failure, 1);
      if (failed !== undefined) {
        sendError(response, failed.failure.status, failed.failure.reason ?? 'backendError');
        return;
      }
    }

    if (url.pathname === '/token' && request.method === 'POST') {
      this.#token(form, response);
      return;
    }
    if (url.pathname === '/o/oauth2/v2/auth') {
      this.#authorize(url, response);
      return;
    }
    const grant = this.#grantOf(recorded.authorization);
    if (grant === null) {
      sendError(response, 401, 'authError');
      return;
    }
    const fields = url.searchParams.get('fields');
    const send = (data: unknown): void => {
      const masked =
        fields === null || this.options.ignoreFieldMask === true
          ? data
          : applyMask(data, parseMask(fields));
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.end(JSON.stringify(masked));
    };

    if (url.pathname === '/admin/directory/v1/users') {
      if (!grant.scopes.includes(DIRECTORY_SCOPE) || !this.#admins.has(grant.subject)) {
        sendError(response, 403, 'forbidden');
        return;
      }
      send(this.#listUsers(url));
      return;
    }
    if (url.pathname === '/calendar/v3/users/me/settings/timezone') {
      if (!grant.scopes.some((scope) => SETTINGS_SCOPES.includes(scope))) {
        sendError(response, 403, 'insufficientPermissions');
        return;
      }
      const user = this.#users.get(grant.subject);
      if (user?.settingsTimeZone == null) {
        sendError(response, 404, 'notFound');
        return;
      }
      send({ kind: 'calendar#setting', etag: '"1"', id: 'timezone', value: user.settingsTimeZone });
      return;
    }
    const events = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(url.pathname);
    if (events !== null) {
      const requested = decodeURIComponent(events[1] ?? '');
      const calendarId = requested === 'primary' ? grant.subject : requested;
      const calendar = this.#calendars.get(calendarId);
      if (calendar === undefined) {
        sendError(response, 404, 'notFound');
        return;
      }
      const allowed =
        calendarId === grant.subject || (this.#shares.get(calendarId)?.has(grant.subject) ?? false);
      if (!allowed || !grant.scopes.some((scope) => CALENDAR_READ_SCOPES.includes(scope))) {
        sendError(response, 403, 'forbidden');
        return;
      }
      const page = this.#listEvents(calendarId, calendar, url);
      if (page === 'gone') {
        sendError(response, 410, 'fullSyncRequired');
        return;
      }
      send(page);
      return;
    }
    sendError(response, 404, 'notFound');
  }

  #grantOf(authorization: string | null): Grant | null {
    if (authorization === null || !authorization.startsWith('Bearer ')) return null;
    return this.#accessTokens.get(authorization.slice('Bearer '.length)) ?? null;
  }

  #issueAccess(grant: Grant): string {
    const token = `at_${this.#next()}_${randomBytes(6).toString('hex')}`;
    this.#accessTokens.set(token, grant);
    return token;
  }

  #token(form: URLSearchParams, response: ServerResponse): void {
    const json = (status: number, data: unknown): void => {
      response.statusCode = status;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(data));
    };
    const grantType = form.get('grant_type');
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const claims = this.#verifyAssertion(form.get('assertion') ?? '');
      if (claims === null) {
        json(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
        return;
      }
      if (claims.sub !== undefined && !this.delegation) {
        json(401, { error: 'unauthorized_client', error_description: 'Client is unauthorized' });
        return;
      }
      const subject = claims.sub ?? claims.iss;
      json(200, {
        access_token: this.#issueAccess({ subject, scopes: claims.scope.split(' ') }),
        expires_in: 3600,
        token_type: 'Bearer',
      });
      return;
    }
    if (grantType === 'refresh_token') {
      const grant = this.#refreshTokens.get(form.get('refresh_token') ?? '');
      if (
        grant === undefined ||
        form.get('client_id') !== this.clientId ||
        form.get('client_secret') !== this.clientSecret
      ) {
        json(400, {
          error: 'invalid_grant',
          error_description: 'Token has been expired or revoked.',
        });
        return;
      }
      json(200, {
        access_token: this.#issueAccess(grant),
        expires_in: 3600,
        token_type: 'Bearer',
        scope: grant.scopes.join(' '),
      });
      return;
    }
    if (grantType === 'authorization_code') {
      const code = this.#codes.get(form.get('code') ?? '');
      if (
        code === undefined ||
        code.redirectUri !== form.get('redirect_uri') ||
        form.get('client_id') !== this.clientId ||
        form.get('client_secret') !== this.clientSecret
      ) {
        json(400, { error: 'invalid_grant', error_description: 'Malformed auth code.' });
        return;
      }
      this.#codes.delete(form.get('code') ?? '');
      const grant = { subject: code.subject, scopes: code.scopes };
      const refresh = `rt_${this.#next()}_${randomBytes(6).toString('hex')}`;
      this.#refreshTokens.set(refresh, grant);
      const idToken = [
        base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' })),
        base64url(
          JSON.stringify({
            iss: 'https://accounts.google.com',
            aud: this.clientId,
            sub: '1',
            email: code.subject,
            email_verified: true,
          }),
        ),
        base64url('emulated-signature'),
      ].join('.');
      json(200, {
        access_token: this.#issueAccess(grant),
        refresh_token: refresh,
        id_token: idToken,
        expires_in: 3599,
        token_type: 'Bearer',
        scope: grant.scopes.join(' '),
      });
      return;
    }
    json(400, { error: 'unsupported_grant_type' });
  }

  #verifyAssertion(assertion: string): { iss: string; sub?: string; scope: string } | null {
    const [header, payload, signature] = assertion.split('.');
    if (header === undefined || payload === undefined || signature === undefined) return null;
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${payload}`),
      this.#keys.publicKey,
      Buffer.from(signature, 'base64url'),
    );
    if (!valid) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      iss?: string;
      sub?: string;
      scope?: string;
    };
    if (claims.iss !== this.serviceAccountEmail || typeof claims.scope !== 'string') return null;
    return {
      iss: claims.iss,
      scope: claims.scope,
      ...(claims.sub === undefined ? {} : { sub: claims.sub }),
    };
  }

  #authorize(url: URL, response: ServerResponse): void {
    const redirectUri = url.searchParams.get('redirect_uri');
    if (
      this.desktopUser === null ||
      redirectUri === null ||
      url.searchParams.get('client_id') !== this.clientId
    ) {
      response.statusCode = 400;
      response.end('invalid request');
      return;
    }
    const code = `code_${this.#next()}_${randomBytes(6).toString('hex')}`;
    this.#codes.set(code, {
      subject: this.desktopUser,
      scopes: (url.searchParams.get('scope') ?? '').split(' ').filter((scope) => scope !== ''),
      redirectUri,
    });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state !== null) target.searchParams.set('state', state);
    response.statusCode = 302;
    response.setHeader('location', target.toString());
    response.end();
  }

  #listUsers(url: URL): unknown {
    const users = [...this.#users.values()]
      .filter((user) => user.inDirectory)
      .sort((a, b) => a.email.localeCompare(b.email));
    const size = Math.min(
      Number(url.searchParams.get('maxResults') ?? '100'),
      this.options.directoryPageSize ?? 500,
    );
    const offset = Number(url.searchParams.get('pageToken') ?? '0');
    const slice = users.slice(offset, offset + size);
    return {
      kind: 'admin#directory#users',
      users: slice.map((user) => ({
        kind: 'admin#directory#user',
        id: createHash('sha1').update(user.email).digest('hex').slice(0, 12),
        primaryEmail: user.email,
        suspended: user.suspended,
        ...user.extra,
      })),
      ...(offset + size < users.length ? { nextPageToken: String(offset + size) } : {}),
    };
  }

  #listEvents(calendarId: string, calendar: CalendarStore, url: URL): unknown {
    const params = url.searchParams;
    const pageToken = params.get('pageToken');
    let cursor: PageCursor | undefined;
    if (pageToken !== null) {
      cursor = this.#cursors.get(pageToken);
      if (cursor === undefined) return 'gone';
    } else {
      const syncToken = params.get('syncToken');
      const types = params.getAll('eventTypes');
      let items: ApiEvent[];
      if (syncToken !== null) {
        const known = this.#syncTokens.get(syncToken);
        if (
          known === undefined ||
          known.calendar !== calendarId ||
          known.generation !== calendar.generation
        ) {
          return 'gone';
        }
        items = [...calendar.events.values()]
          .filter((stored) => stored.seq > known.seq)
          .map((stored) => reduceCancelled(stored.event));
      } else {
        const timeMin = params.get('timeMin');
        const timeMax = params.get('timeMax');
        const showDeleted = params.get('showDeleted') === 'true';
        items = [...calendar.events.values()]
          .map((stored) => stored.event)
          .filter((event) => showDeleted || event.status !== 'cancelled')
          .filter((event) => overlaps(event, timeMin, timeMax))
          .map(reduceCancelled);
      }
      if (types.length > 0) {
        items = items.filter(
          (event) => event.status === 'cancelled' || types.includes(event.eventType ?? 'default'),
        );
      }
      items.sort((a, b) => a.id.localeCompare(b.id));
      const token = `st_${this.#next()}`;
      this.#syncTokens.set(token, {
        calendar: calendarId,
        seq: this.#seq,
        generation: calendar.generation,
      });
      cursor = { items, offset: 0, page: 0, syncToken: token };
    }
    const asked = Number(params.get('maxResults') ?? '250');
    let size = Math.max(1, Math.min(asked, this.options.maxPageSize ?? 2500));
    // Google may return fewer items than asked even when more follow.
    if (this.options.shortPages === true && cursor.page % 2 === 1) size = Math.max(1, size - 2);
    const slice = cursor.items.slice(cursor.offset, cursor.offset + size);
    const next: PageCursor = { ...cursor, offset: cursor.offset + size, page: cursor.page + 1 };
    const done = next.offset >= cursor.items.length;
    let nextPageToken: string | undefined;
    if (!done) {
      nextPageToken = `pt_${this.#next()}`;
      this.#cursors.set(nextPageToken, next);
    }
    return {
      kind: 'calendar#events',
      etag: '"p1"',
      summary: calendarId,
      description: 'canary-calendar-description',
      updated: new Date().toISOString(),
      timeZone: calendar.timeZone,
      accessRole: 'reader',
      defaultReminders: [],
      items: slice,
      ...(done ? { nextSyncToken: cursor.syncToken } : { nextPageToken }),
    };
  }
}

/** What Google sends for a cancelled item: hardly more than its id. */
function reduceCancelled(event: ApiEvent): ApiEvent {
  if (event.status !== 'cancelled') return event;
  const reduced: ApiEvent = { id: event.id, status: 'cancelled' };
  if (event.recurringEventId !== undefined) {
    reduced.recurringEventId = event.recurringEventId;
    if (event.originalStartTime !== undefined) reduced.originalStartTime = event.originalStartTime;
  }
  return reduced;
}

function instantMs(time: EventTime | undefined): number | null {
  if (time === undefined) return null;
  if (time.dateTime !== undefined) return Date.parse(time.dateTime);
  if (time.date !== undefined) return Date.parse(`${time.date}T00:00:00Z`);
  return null;
}

function overlaps(event: ApiEvent, timeMin: string | null, timeMax: string | null): boolean {
  const start = instantMs(event.start) ?? instantMs(event.originalStartTime);
  const end = instantMs(event.end) ?? start;
  if (start === null || end === null) return true;
  if (timeMin !== null && end <= Date.parse(timeMin)) return false;
  if (timeMax !== null && start >= Date.parse(timeMax)) return false;
  return true;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      resolve(body);
    });
    request.on('error', reject);
  });
}

function sendError(response: ServerResponse, status: number, reason: string): void {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(
    JSON.stringify({
      error: {
        code: status,
        message: `emulated ${reason}`,
        errors: [{ domain: 'global', reason, message: `emulated ${reason}` }],
      },
    }),
  );
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

// ── the partial-response mask ────────────────────────────────────────────────────────────

/** A parsed `fields` mask: field name → sub-mask (null: the whole field). */
export type Mask = Map<string, Mask | null>;

/** Parses Google's `fields` syntax: `a,b(c,d),e/f`. */
export function parseMask(text: string): Mask {
  let position = 0;
  const list = (): Mask => {
    const mask: Mask = new Map();
    for (;;) {
      const name = /^[A-Za-z0-9_*]+/.exec(text.slice(position))?.[0];
      if (name === undefined) throw new Error(`bad fields mask at ${position}: ${text}`);
      position += name.length;
      let sub: Mask | null = null;
      if (text[position] === '/') {
        position += 1;
        const inner = list1();
        sub = inner;
      } else if (text[position] === '(') {
        position += 1;
        sub = list();
        if (text[position] !== ')') throw new Error(`bad fields mask at ${position}: ${text}`);
        position += 1;
      }
      mask.set(name, merge(mask.get(name), sub));
      if (text[position] !== ',') return mask;
      position += 1;
    }
  };
  const list1 = (): Mask => {
    // One path step after '/', e.g. `e/f` or `e/f(g)`.
    const name = /^[A-Za-z0-9_*]+/.exec(text.slice(position))?.[0];
    if (name === undefined) throw new Error(`bad fields mask at ${position}: ${text}`);
    position += name.length;
    let sub: Mask | null = null;
    if (text[position] === '/') {
      position += 1;
      sub = list1();
    } else if (text[position] === '(') {
      position += 1;
      sub = list();
      position += 1;
    }
    return new Map([[name, sub]]);
  };
  const mask = list();
  if (position !== text.length) throw new Error(`bad fields mask at ${position}: ${text}`);
  return mask;
}

function merge(a: Mask | null | undefined, b: Mask | null): Mask | null {
  if (a === undefined) return b;
  if (a === null || b === null) return null;
  const merged: Mask = new Map(a);
  for (const [key, value] of b) merged.set(key, merge(merged.get(key), value));
  return merged;
}

export function applyMask(data: unknown, mask: Mask): unknown {
  if (Array.isArray(data)) return data.map((item) => applyMask(item, mask));
  if (typeof data !== 'object' || data === null) return data;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (!mask.has(key) && !mask.has('*')) continue;
    const sub = mask.get(key) ?? null;
    result[key] = sub === null ? value : applyMask(value, sub);
  }
  return result;
}
