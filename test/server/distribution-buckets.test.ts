/**
 * Distributions as the API publishes them (docs/privacy.md): neighbouring buckets merged until each
 * holds at least minGroupSize people, nothing when fewer than two such buckets remain, shares
 * rounded to 5 points. Hand-computed cases.
 */
import { describe, expect, it } from 'vitest';
import {
  mergeBuckets,
  publishableBuckets,
  roundedShare,
} from '../../server/present/distribution.ts';

const EDGES = [0, 2, 5, 10, 15];

describe('mergeBuckets', () => {
  it('keeps buckets that already hold enough people', () => {
    expect(mergeBuckets(EDGES, [5, 6, 0, 0, 7], 5)).toEqual([
      { from: 0, to: 2, count: 5 },
      { from: 2, to: 5, count: 6 },
      { from: 5, to: null, count: 7 },
    ]);
  });
  it('merges small neighbours from the lowest up, and a small remainder into the bucket before it', () => {
    // 2+3 = 5 | 4+1 = 5 | remainder 2 joins the second.
    expect(mergeBuckets(EDGES, [2, 3, 4, 1, 2], 5)).toEqual([
      { from: 0, to: 5, count: 5 },
      { from: 5, to: null, count: 7 },
    ]);
  });
  it('leaves one bucket when everyone falls together', () => {
    expect(mergeBuckets(EDGES, [0, 0, 9, 0, 0], 5)).toEqual([{ from: 0, to: null, count: 9 }]);
  });
});

describe('publishableBuckets', () => {
  it('shows two or more buckets of at least the minimum', () => {
    expect(publishableBuckets(EDGES, [2, 3, 4, 1, 2], 5)).toHaveLength(2);
  });
  it('shows nothing when one bucket would hold everyone: it would give every member’s range', () => {
    expect(publishableBuckets(EDGES, [0, 0, 9, 0, 0], 5)).toBeNull();
    expect(publishableBuckets(EDGES, [1, 1, 1, 1, 1], 5)).toBeNull();
    expect(publishableBuckets(EDGES, [0, 0, 0, 0, 0], 5)).toBeNull();
  });
});

describe('roundedShare', () => {
  it('rounds to 5 percentage points, so the head count cannot be read back', () => {
    expect(roundedShare(5, 11)).toBe(0.45);
    expect(roundedShare(6, 11)).toBe(0.55);
    expect(roundedShare(7, 12)).toBe(0.6);
    expect(roundedShare(5, 5)).toBe(1);
  });
});
