import { describe, expect, it } from 'vitest';
import { tempWarehouse } from '../test/helpers/warehouse.ts';
import { cachedJson, type CachedBody } from './http/cached.ts';
import { WarehouseReads } from './reads.ts';

describe('WarehouseReads.responseBody', () => {
  it('computes a body once for requests that ask for it at the same time, then serves it remembered', async () => {
    const reads = new WarehouseReads(await tempWarehouse());
    let computed = 0;
    let finish: (body: CachedBody) => void = () => undefined;
    const slow = (): Promise<CachedBody> => {
      computed += 1;
      return new Promise((resolve) => (finish = resolve));
    };
    const first = reads.responseBody('overview 2026-11-23', slow);
    const second = reads.responseBody('overview 2026-11-23', slow);
    const other = reads.responseBody('overview 2026-11-16', () => cachedJson({ week: 16 }));
    expect(computed).toBe(1);
    const body = await cachedJson({ week: 23 });
    finish(body);
    expect(await first).toBe(body);
    expect(await second).toBe(body);
    expect(await reads.responseBody('overview 2026-11-23', slow)).toBe(body);
    expect(computed).toBe(1);
    expect((await other).identity?.toString('utf8')).toBe('{"week":16}');
  });

  it('forgets a failed computation, so the next request computes the body again', async () => {
    const reads = new WarehouseReads(await tempWarehouse());
    const failed = reads.responseBody('weeks x', () => Promise.reject(new Error('disk gone')));
    const waiting = reads.responseBody('weeks x', () => cachedJson({ never: true }));
    await expect(failed).rejects.toThrow('disk gone');
    await expect(waiting).rejects.toThrow('disk gone');
    const retried = await reads.responseBody('weeks x', () => cachedJson({ again: true }));
    expect(retried.identity?.toString('utf8')).toBe('{"again":true}');
  });
});
