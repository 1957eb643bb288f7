/** How SMTP failures are classified and stored, and the transport's refusals of unsafe settings. */
import { describe, expect, it } from 'vitest';
import { classifyFailure, describeFailure, smtpTransport } from '../../server/report/smtp.ts';
import { parseConfig } from '../../warehouse/config.ts';
import { InputError } from '../../warehouse/errors.ts';

function smtpError(fields: { code: string; responseCode?: number; response?: string }): Error {
  return Object.assign(new Error(fields.response ?? 'failed'), fields);
}

describe('SMTP failures', () => {
  it('a 5xx answer is permanent, a 4xx answer is retried, no connection stops the run', () => {
    expect(classifyFailure(smtpError({ code: 'EENVELOPE', responseCode: 550 }))).toBe('permanent');
    expect(classifyFailure(smtpError({ code: 'EENVELOPE', responseCode: 452 }))).toBe('retry');
    expect(classifyFailure(smtpError({ code: 'ECONNECTION' }))).toBe('unavailable');
    expect(classifyFailure(smtpError({ code: 'ETIMEDOUT' }))).toBe('unavailable');
    // A refused login is the configuration's problem, not this message's: stop, retry later.
    expect(classifyFailure(smtpError({ code: 'EAUTH', responseCode: 535 }))).toBe('unavailable');
  });

  it('stores the error in one line without the addresses the server quoted', () => {
    const text = describeFailure(
      smtpError({
        code: 'EENVELOPE',
        responseCode: 550,
        response: '550 5.1.1 <Lead.Person@example.com>: Recipient address rejected\nsecond line',
      }),
    );
    expect(text).toBe('EENVELOPE: 550 5.1.1 <<address>>: Recipient address rejected');
  });
});

describe('the SMTP transport', () => {
  it('refuses a login over an unencrypted connection to another machine', () => {
    const { report } = parseConfig({
      report: { smtp: { host: 'mail.example.com', security: 'none', user: 'reports' } },
    });
    expect(() => smtpTransport(report.smtp, 'secret-value-1', '/tmp/x.duckdb')).toThrow(InputError);
    expect(() => smtpTransport(report.smtp, 'secret-value-1', '/tmp/x.duckdb')).not.toThrow(
      /secret-value-1/,
    );
  });

  it('names where the password goes when a user is set without one', () => {
    const { report } = parseConfig({ report: { smtp: { user: 'reports' } } });
    expect(() => smtpTransport(report.smtp, null, '/srv/data/prod.duckdb')).toThrow(
      /SYNCBALANCE_SMTP_PASSWORD or write it to \/srv\/data\/prod\.smtp-password/,
    );
  });

  it('defaults to required STARTTLS on port 587, Monday 08:00 in the manager’s zone', () => {
    const { report } = parseConfig({});
    expect(report.smtp).toEqual({ host: '127.0.0.1', port: 587, security: 'starttls' });
    expect(report.schedule).toEqual({ day: 'Mon', time: '08:00', timezone: 'manager' });
    expect(report.optOut).toEqual([]);
  });
});
