/**
 * Requests Node's HTTP parser rejects before any route sees them: a request line or headers over
 * `maxHeaderSize` (Node's default, 16 KB), or a malformed request. Node answers them itself, but
 * destroys the socket at once: the client, still sending the rest of a 100 KB URL, then gets a
 * connection reset instead of the answer. Here the answer is sent, the socket half-closed, and the
 * rest of what the client sends read and dropped for a moment, so the status arrives.
 */
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorBody } from '../contract/api.ts';

/** How long to keep reading a rejected client's remaining bytes before closing. */
const LINGER_MS = 2_000;

function answer(status: string, message: string): string {
  const body = JSON.stringify({ error: { code: 'bad_request', message } } satisfies ErrorBody);
  return [
    `HTTP/1.1 ${status}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

export function answerClientErrors(server: Server): void {
  const answered = new WeakSet<Duplex>();
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The parser reports every later chunk of a rejected request again.
    if (answered.has(socket)) return;
    answered.add(socket);
    // As Node itself: never write into a response already under way on this connection.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } | null })
      ._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent === true) {
      socket.destroy();
      return;
    }
    const reply =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? answer(
            '431 Request Header Fields Too Large',
            'the request line and headers are too long (at most 16 KB): shorten the URL',
          )
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? answer('408 Request Timeout', 'the request took too long to arrive')
          : answer('400 Bad Request', 'not a valid HTTP request');
    socket.end(reply);
    socket.resume();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
    });
  });
}
