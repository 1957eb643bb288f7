import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { consoleReporter, type Io } from './io.ts';

function fakeIo(
  tty: boolean,
  env: NodeJS.ProcessEnv,
): { io: Io; stderr: () => string; stdout: () => string } {
  const capture = (stream: PassThrough & { isTTY?: boolean }) => {
    stream.isTTY = tty;
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    return () => text;
  };
  const out = new PassThrough();
  const err = new PassThrough();
  const stdout = capture(out);
  const stderr = capture(err);
  return {
    io: { stdout: out, stderr: err, env, cwd: '/', now: () => new Date(0) },
    stdout,
    stderr,
  };
}

describe('console reporter', () => {
  it('draws a progress line in place on a terminal', () => {
    const { io, stderr } = fakeIo(true, {});
    const progress = consoleReporter(io).progress('Reading Slack export', 'day files', 3);
    progress.advance(3);
    progress.done();
    const text = stderr();
    expect(text.startsWith('\r\u001b[2KReading Slack export: ')).toBe(true);
    expect(text).toContain('3 of 3 day files');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('shows no progress in CI or in a pipe, only results and warnings', () => {
    for (const { tty, env } of [
      { tty: true, env: { CI: 'true' } },
      { tty: false, env: {} },
    ]) {
      const { io, stderr, stdout } = fakeIo(tty, env);
      const reporter = consoleReporter(io);
      const progress = reporter.progress('Building models', 'models', 2);
      progress.advance();
      progress.done();
      reporter.warn('manager missing');
      reporter.result('Built 2 models');
      expect(stderr()).toBe('warning: manager missing\n');
      expect(stdout()).toBe('Built 2 models\n');
    }
  });
});
