/**
 * A real SMTP server on 127.0.0.1 (port 0) for the report tests, parsing every accepted message
 * with mailparser. Hooks decide per recipient or per transaction what the server answers.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  readonly to: string[];
  readonly parsed: ParsedMail;
  readonly raw: Buffer;
}

export interface SmtpHooks {
  /** Throw an error with `responseCode` to refuse a recipient. */
  onRcptTo?: (address: string) => void;
  /** Called at each MAIL FROM, counting from 1 over the server's life. */
  onMailFrom?: (count: number, session: SMTPServerSession) => void | Promise<void>;
  /** Credentials to require (AUTH PLAIN/LOGIN); omitted: no login. */
  auth?: { user: string; pass: string };
}

export interface TestSmtpServer {
  readonly port: number;
  readonly messages: ReceivedMessage[];
  /** Every AUTH password the server was offered, to check what a client sent. */
  readonly offeredPasswords: string[];
  hooks: SmtpHooks;
  close(): Promise<void>;
}

export class SmtpRefusal extends Error {
  readonly responseCode: number;
  constructor(responseCode: number, message: string) {
    super(message);
    this.responseCode = responseCode;
  }
}

export async function startSmtpServer(hooks: SmtpHooks = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = [];
  const offeredPasswords: string[] = [];
  let mailFroms = 0;
  const state = { hooks };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      offeredPasswords.push(auth.password ?? '');
      const expected = state.hooks.auth;
      if (
        expected !== undefined &&
        auth.username === expected.user &&
        auth.password === expected.pass
      ) {
        callback(null, { user: auth.username });
        return;
      }
      callback(new SmtpRefusal(535, 'Authentication failed'));
    },
    onMailFrom(_address: SMTPServerAddress, session, callback) {
      mailFroms += 1;
      if (state.hooks.auth !== undefined && session.user === undefined) {
        callback(new SmtpRefusal(530, 'Authentication required'));
        return;
      }
      Promise.resolve(state.hooks.onMailFrom?.(mailFroms, session)).then(
        () => {
          callback();
        },
        (error: unknown) => {
          callback(error as Error);
        },
      );
    },
    onRcptTo(address, _session, callback) {
      try {
        state.hooks.onRcptTo?.(address.address);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw, { skipImageLinks: true }).then(
          (parsed) => {
            messages.push({
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              parsed,
              raw,
            });
            callback();
          },
          (error: unknown) => {
            callback(error as Error);
          },
        );
      });
    },
  });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    offeredPasswords,
    get hooks() {
      return state.hooks;
    },
    set hooks(value: SmtpHooks) {
      state.hooks = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
