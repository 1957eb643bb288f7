/**
 * A small HTTP client over `node:http`, so tests control every header a browser or an attacker
 * could send (Host, Origin, Cookie, X-Forwarded-*), see every Set-Cookie, and can keep each body
 * for the privacy checks.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';

export interface HttpResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body as received (compressed when the response says Content-Encoding: gzip). */
  readonly bytes: Buffer;
  json(): unknown;
  header(name: string): string | undefined;
  setCookies(): string[];
}

export interface HttpOptions {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  /** Connect to this local address (a test of the peer-address checks). */
  readonly localAddress?: string;
}

/** Every body received by `send`, for the "no personal data in any response" checks. */
export const receivedBodies: string[] = [];

export function send(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method ?? 'GET',
        headers: {
          ...(options.body === undefined
            ? {}
            : { 'content-length': Buffer.byteLength(options.body) }),
          ...options.headers,
        },
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          const body = bytes.toString('utf8');
          receivedBodies.push(body);
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body,
            bytes,
            json: () => JSON.parse(body) as unknown,
            header: (name) => {
              const value = response.headers[name.toLowerCase()];
              return Array.isArray(value) ? value.join(', ') : value;
            },
            setCookies: () => response.headers['set-cookie'] ?? [],
          });
        });
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

export interface ParsedCookie {
  readonly name: string;
  readonly value: string;
  /** Attribute names in lower case, with their values (`''` for flags such as HttpOnly). */
  readonly attributes: ReadonlyMap<string, string>;
}

export function parseSetCookie(header: string): ParsedCookie {
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  return {
    name: pair.slice(0, separator),
    value: pair.slice(separator + 1),
    attributes: new Map(
      attributes.map((attribute) => {
        const equals = attribute.indexOf('=');
        return equals === -1
          ? [attribute.toLowerCase(), '']
          : [attribute.slice(0, equals).toLowerCase(), attribute.slice(equals + 1)];
      }),
    ),
  };
}

/** A browser's cookie jar for one origin: keeps what Set-Cookie says, sends it back. */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  store(response: HttpResponse): void {
    for (const header of response.setCookies()) {
      const cookie = parseSetCookie(header);
      if (cookie.attributes.get('max-age') === '0') this.#cookies.delete(cookie.name);
      else this.#cookies.set(cookie.name, cookie.value);
    }
  }

  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  set(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}
