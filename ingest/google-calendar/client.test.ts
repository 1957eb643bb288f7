import { describe, expect, it } from 'vitest';
import { GoogleApiError, errorFacts, isRetryable, withRetry } from './client.ts';

function apiError(status: number, data: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error('request failed'), {
    response: { status, data, headers: new Headers(headers) },
  });
}

const rateLimited = apiError(403, { error: { errors: [{ reason: 'rateLimitExceeded' }] } });

describe('errorFacts', () => {
  it('reads status, reason and Retry-After, and never repeats free text as a reason', () => {
    expect(
      errorFacts(
        apiError(
          429,
          { error: { errors: [{ reason: 'rateLimitExceeded' }] } },
          { 'retry-after': '7' },
        ),
      ),
    ).toEqual({
      status: 429,
      reason: 'rateLimitExceeded',
      retryAfter: 7,
    });
    expect(errorFacts(apiError(401, { error: 'unauthorized_client' })).reason).toBe(
      'unauthorized_client',
    );
    expect(errorFacts(apiError(400, { error: 'Meeting about the layoffs' })).reason).toBeNull();
    expect(errorFacts(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toEqual({
      status: null,
      reason: 'ECONNRESET',
      retryAfter: null,
    });
  });
});

describe('isRetryable', () => {
  it('retries rate limits, 429, 5xx and network errors, never other refusals', () => {
    expect(isRetryable(errorFacts(rateLimited))).toBe(true);
    expect(isRetryable({ status: 403, reason: 'userRateLimitExceeded', retryAfter: null })).toBe(
      true,
    );
    expect(isRetryable({ status: 403, reason: 'forbidden', retryAfter: null })).toBe(false);
    expect(isRetryable({ status: 410, reason: 'fullSyncRequired', retryAfter: null })).toBe(false);
    expect(isRetryable({ status: 503, reason: null, retryAfter: null })).toBe(true);
    expect(isRetryable({ status: null, reason: 'ECONNRESET', retryAfter: null })).toBe(true);
  });
});

describe('withRetry', () => {
  it('waits with full jitter under a doubling ceiling and gives up after the attempts allowed', async () => {
    const waits: number[] = [];
    let calls = 0;
    const failing = withRetry(
      () => {
        calls += 1;
        return Promise.reject(rateLimited);
      },
      {
        attempts: 4,
        baseDelayMs: 100,
        random: () => 1,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    await expect(failing).rejects.toThrow(GoogleApiError);
    await expect(failing).rejects.toThrow('HTTP 403 rateLimitExceeded');
    expect(calls).toBe(4);
    expect(waits).toEqual([100, 200, 400]);
  });

  it('waits at least as long as Retry-After says', async () => {
    const waits: number[] = [];
    let calls = 0;
    const value = await withRetry(
      () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(apiError(429, {}, { 'retry-after': '2' }))
          : Promise.resolve('ok');
      },
      {
        attempts: 3,
        baseDelayMs: 10,
        random: () => 0,
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect(value).toBe('ok');
    expect(waits).toEqual([2000]);
  });
});
