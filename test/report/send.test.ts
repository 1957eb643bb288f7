/**
 * The weekly email report end to end against a real SMTP server on loopback, on the demo
 * organisation: who gets what, the inline charts, suppression, opt-out, exactly-once delivery
 * through reruns, concurrent senders and refused recipients, and the scheduler's "due" rule.
 */
import type { Attachment } from 'mailparser';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Config } from '../../warehouse/config.ts';
import type { Warehouse } from '../../warehouse/db.ts';
import { silentReporter } from '../../warehouse/reporter.ts';
import { suppressedReason } from '../../server/present/team-week.ts';
import { listDeliveries } from '../../server/report/queries.ts';
import {
  reportDueAt,
  sendWeeklyReports,
  type SendWeeklyReportsOptions,
} from '../../server/report/send.ts';
import { smtpTransport } from '../../server/report/smtp.ts';
import { testPseudonymizer } from '../helpers/warehouse.ts';
import type { DemoWarehouse } from '../server/helpers/demo.ts';
import {
  buildReportDemo,
  demoCopy,
  demoManagers,
  DEMO_LAST_WEEK,
  DEMO_NOW,
  reportConfig,
  type DemoManagers,
} from './demo.ts';
import {
  SmtpRefusal,
  startSmtpServer,
  type ReceivedMessage,
  type TestSmtpServer,
} from './smtp-server.ts';

let demo: DemoWarehouse;
let smtp: TestSmtpServer;
let db: Warehouse;
let managers: DemoManagers;

beforeAll(async () => {
  demo = await buildReportDemo();
});
afterAll(() => {
  demo.remove();
});
beforeEach(async () => {
  smtp = await startSmtpServer();
  ({ db } = await demoCopy(demo));
  managers = await demoManagers(db);
});
afterEach(async () => {
  db.close();
  await smtp.close();
});

function send(
  config: Config,
  options: Partial<SendWeeklyReportsOptions> = {},
): ReturnType<typeof sendWeeklyReports> {
  const transport = smtpTransport(config.report.smtp, null, demo.path);
  return sendWeeklyReports({
    db,
    config,
    pseudonymizer: testPseudonymizer,
    transport,
    reporter: silentReporter,
    now: () => DEMO_NOW,
    ...options,
  }).finally(() => {
    transport.close();
  });
}

function messagesTo(address: string): ReceivedMessage[] {
  return smtp.messages.filter((message) => message.to.includes(address));
}

function htmlOf(message: ReceivedMessage): string {
  const html = message.parsed.html;
  if (typeof html !== 'string') throw new Error('no HTML part');
  return html;
}

/** Width and height from a PNG's IHDR chunk (after the 8-byte signature and chunk header). */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function teamBlock(html: string, team: string): string {
  const start = html.indexOf(`data-team="${team}"`);
  expect(start, team).toBeGreaterThan(-1);
  const end = html.indexOf('data-team="', start + 1);
  return html.slice(start, end === -1 ? undefined : end);
}

describe('what a manager receives', () => {
  it('a manager of two teams gets one message covering both, charts inline as PNGs referenced by cid', async () => {
    const config = reportConfig(smtp.port);
    const summary = await send(config, { managers: [managers.twoTeams] });
    expect(summary.week).toBe(DEMO_LAST_WEEK);
    expect(summary.counts).toEqual({ sent: 1 });
    const [message, ...others] = messagesTo(managers.twoTeams);
    expect(others).toHaveLength(0);
    if (message === undefined) throw new Error('no message');
    const html = htmlOf(message);
    for (const team of ['Product/Management', 'Product/Design']) {
      expect(teamBlock(html, team)).toContain('working agreement');
      expect(html).toContain(
        `https://sync.example.test/teams/${team.split('/').map(encodeURIComponent).join('/')}?week=${DEMO_LAST_WEEK}`,
      );
    }
    const images: Attachment[] = message.parsed.attachments;
    expect(images).toHaveLength(4);
    for (const image of images) {
      expect(image.contentType).toBe('image/png');
      expect(image.cid).toBeTruthy();
      const tag = new RegExp(`<img src="cid:${image.cid ?? ''}" width="(\\d+)"`).exec(html);
      expect(tag, `cid:${image.cid ?? ''} referenced from the HTML`).not.toBeNull();
      const size = pngSize(image.content);
      // Drawn at 2× the size the HTML shows it at, for sharp text on phones.
      expect(size.width).toBe(2 * Number(tag?.[1]));
      expect(size.height).toBeGreaterThan(200);
    }
    expect(message.parsed.subject).toContain('2 teams');
    expect(message.parsed.messageId).toContain(DEMO_LAST_WEEK);
  });

  it('a team the dashboard hides is hidden with the same words and gets no chart; the others still show', async () => {
    const config = reportConfig(smtp.port);
    await send(config, { managers: [managers.engineering] });
    const [message] = messagesTo(managers.engineering);
    if (message === undefined) throw new Error('no message');
    const html = htmlOf(message);
    const security = teamBlock(html, 'Engineering/Security');
    expect(security).toContain('Every week in the last 12 is hidden');
    expect(security).toContain(suppressedReason(config.minGroupSize));
    expect(security).not.toContain('<img');
    expect(security).not.toMatch(/\d+(\.\d+)? ?(%|h|min)\b/);
    expect(teamBlock(html, 'Engineering/Platform')).toContain('<img');
    expect(message.parsed.text).toContain('Every week in the last 12 is hidden');
    expect(message.parsed.attachments.map((image) => image.cid).join(' ')).not.toContain(
      'security',
    );
  });

  it('a manager whose only team is too small in every week gets a message saying so, without numbers or charts', async () => {
    const config = reportConfig(smtp.port);
    await send(config, { managers: [managers.tooSmall] });
    const [message] = messagesTo(managers.tooSmall);
    if (message === undefined) throw new Error('no message');
    expect(message.parsed.attachments).toHaveLength(0);
    expect(message.parsed.text).toContain(
      `this team had ${suppressedReason(config.minGroupSize)} in each of them`,
    );
    expect(htmlOf(message)).not.toContain('data-metric');
  });

  it('an opted-out manager gets nothing and nothing is recorded for them', async () => {
    const config = reportConfig(smtp.port, { optOut: [managers.meetingHeavy.toUpperCase()] });
    const summary = await send(config, { managers: [managers.meetingHeavy, managers.twoTeams] });
    expect(summary.counts).toEqual({ 'opted-out': 1, sent: 1 });
    expect(messagesTo(managers.meetingHeavy)).toHaveLength(0);
    const keys = (await listDeliveries(db)).map((delivery) => delivery.manager_key);
    expect(keys).toEqual([testPseudonymizer.person(managers.twoTeams)]);
  });

  it('the text part carries the same numbers as the HTML, metric by metric', async () => {
    await send(reportConfig(smtp.port), { managers: [managers.twoTeams] });
    const [message] = messagesTo(managers.twoTeams);
    if (message === undefined) throw new Error('no message');
    const html = htmlOf(message);
    const text = message.parsed.text ?? '';
    const numbers = (fragment: string) =>
      (fragment.match(/[+−±]?\d+(?:\.\d+)?(?: ?(?:%|h|min|pts))/g) ?? []).sort();
    let rows = 0;
    for (const team of ['Product/Management', 'Product/Design']) {
      const block = teamBlock(html, team);
      const section = text.slice(text.indexOf(`${team}\n`));
      for (const [, row = ''] of block.matchAll(/<tr data-metric="[a-z_0-9]+">([\s\S]*?)<\/tr>/g)) {
        const cells = row.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ');
        const label =
          cells
            .trim()
            .split(/\s{2,}|target/)[0]
            ?.trim() ?? '';
        const line = section.split('\n').find((candidate) => candidate.startsWith(`- ${label}:`));
        expect(line, `${team} ${label}`).toBeDefined();
        expect(numbers(line ?? '').filter((token) => token !== '4 wks')).toEqual(numbers(cells));
        expect(numbers(cells).length).toBeGreaterThanOrEqual(3);
        rows++;
      }
    }
    expect(rows).toBe(10);
  });

  it('no address, person key or other person-level value is in the body; the recipient is in To only', async () => {
    await send(reportConfig(smtp.port), { managers: [managers.engineering, managers.twoTeams] });
    expect(smtp.messages).toHaveLength(2);
    for (const message of smtp.messages) {
      const bodies = `${htmlOf(message)}\n${message.parsed.text ?? ''}`;
      for (const personal of demo.personal) expect(bodies).not.toContain(personal);
      expect(bodies).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
      expect(message.to).toHaveLength(1);
    }
  });
});

describe('exactly once', () => {
  it('a rerun sends nothing again, and two concurrent senders send each message once', async () => {
    const config = reportConfig(smtp.port);
    const some = [managers.meetingHeavy, managers.twoTeams, managers.tooSmall];
    const [first, second] = await Promise.all([
      send(config, { managers: some }),
      send(config, { managers: some }),
    ]);
    expect((first.counts.sent ?? 0) + (second.counts.sent ?? 0)).toBe(3);
    const rerun = await send(config, { managers: some });
    expect(rerun.counts).toEqual({ 'already-sent': 3 });
    for (const manager of some) expect(messagesTo(manager)).toHaveLength(1);
    const deliveries = await listDeliveries(db, DEMO_LAST_WEEK);
    expect(deliveries.map((delivery) => [delivery.status, delivery.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
    expect(deliveries.every((delivery) => delivery.message_id?.includes(DEMO_LAST_WEEK))).toBe(
      true,
    );
  });

  it('a recipient refused with 5xx is failed for good and the others still get theirs', async () => {
    smtp.hooks = {
      onRcptTo: (address) => {
        if (address === managers.twoTeams)
          throw new SmtpRefusal(550, `5.1.1 <${address}>: Recipient address rejected`);
      },
    };
    const config = reportConfig(smtp.port);
    const some = [managers.twoTeams, managers.meetingHeavy, managers.tooSmall];
    const summary = await send(config, { managers: some });
    expect(summary.counts).toEqual({ failed: 1, sent: 2 });
    expect(messagesTo(managers.meetingHeavy)).toHaveLength(1);
    expect(messagesTo(managers.tooSmall)).toHaveLength(1);
    const failed = (await listDeliveries(db)).find((delivery) => delivery.status === 'failed');
    expect(failed?.manager_key).toBe(testPseudonymizer.person(managers.twoTeams));
    expect(failed?.last_error).toContain('550');
    // The error is stored without the address the SMTP answer quoted.
    expect(failed?.last_error).not.toContain('@');
    smtp.hooks = {};
    const rerun = await send(config, { managers: some });
    expect(rerun.counts).toEqual({ 'failed-before': 1, 'already-sent': 2 });
    expect(messagesTo(managers.twoTeams)).toHaveLength(0);
  });

  it('a 4xx answer is retried with backoff on a later run, then sent once', async () => {
    smtp.hooks = {
      onRcptTo: () => {
        throw new SmtpRefusal(451, '4.3.0 try again later');
      },
    };
    const config = reportConfig(smtp.port, { backoff: { firstRetryMinutes: 30 } });
    const some = [managers.meetingHeavy];
    expect((await send(config, { managers: some })).counts).toEqual({ retry: 1 });
    const [waiting] = await listDeliveries(db);
    expect(waiting?.status).toBe('retry');
    expect(waiting?.next_attempt_at).toBe('2026-11-17T12:30:00.000Z');
    smtp.hooks = {};
    const early = new Date(DEMO_NOW.getTime() + 10 * 60_000);
    expect((await send(config, { managers: some, now: () => early })).counts).toEqual({
      waiting: 1,
    });
    const later = new Date(DEMO_NOW.getTime() + 31 * 60_000);
    expect((await send(config, { managers: some, now: () => later })).counts).toEqual({ sent: 1 });
    expect(messagesTo(managers.meetingHeavy)).toHaveLength(1);
    const [sent] = await listDeliveries(db);
    expect([sent?.status, sent?.attempts, sent?.last_error]).toEqual(['sent', 2, null]);
  });

  it('an unreachable SMTP server stops the run and every message waits for the next one', async () => {
    const port = smtp.port;
    await smtp.close();
    const config = reportConfig(port);
    const summary = await send(config, { managers: [managers.meetingHeavy, managers.twoTeams] });
    expect(summary.stopped).toMatch(/ECONNECTION|ECONNREFUSED|ESOCKET/);
    expect(summary.counts).toEqual({ retry: 1, 'not-attempted': 1 });
    smtp = await startSmtpServer();
  });
});

describe('the schedule', () => {
  it('is due at 08:00 on the Monday after the week, in the manager’s zone', () => {
    const config = reportConfig(25);
    expect(reportDueAt(config, DEMO_LAST_WEEK, 'Europe/Berlin').toISOString()).toBe(
      '2026-11-16T07:00:00.000Z',
    );
    expect(reportDueAt(config, DEMO_LAST_WEEK, 'America/Los_Angeles').toISOString()).toBe(
      '2026-11-16T16:00:00.000Z',
    );
  });

  it('a scheduler ticking every hour sends each manager Monday’s report exactly once, when it is due', async () => {
    const config = reportConfig(smtp.port);
    const some = [managers.meetingHeavy, managers.twoTeams];
    const start = Date.parse('2026-11-16T00:00:00Z');
    for (let hour = 0; hour < 36; hour++) {
      const now = new Date(start + hour * 3_600_000);
      await send(config, { managers: some, now: () => now, onlyDue: true, week: DEMO_LAST_WEEK });
    }
    for (const manager of some) expect(messagesTo(manager)).toHaveLength(1);
    const deliveries = await listDeliveries(db, DEMO_LAST_WEEK);
    expect(deliveries).toHaveLength(2);
    // Product's managers are in American zones: nothing went out before 08:00 there.
    for (const delivery of deliveries) {
      expect(Date.parse(delivery.sent_at ?? '')).toBeGreaterThanOrEqual(
        Date.parse('2026-11-16T13:00:00Z'),
      );
    }
  });
});

describe('admins', () => {
  it('an admin gets the teams report.teams lists for them, and no other', async () => {
    const admin = 'head.of.product@sync.example.test';
    const config = reportConfig(smtp.port, {
      teams: { [admin]: ['Product/Design', 'Engineering/Platform', 'No/Such/Team'] },
    });
    const withAdmin = { ...config, admins: [admin] };
    const summary = await send(withAdmin, { managers: [admin] });
    expect(summary.counts).toEqual({ sent: 1 });
    const [message] = messagesTo(admin);
    if (message === undefined) throw new Error('no message');
    const teams = [...htmlOf(message).matchAll(/<td data-team="([^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(teams).toEqual(['Engineering/Platform', 'Product/Design']);
  });
});
