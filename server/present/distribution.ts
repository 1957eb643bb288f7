/**
 * A distribution as the API shows it (docs/privacy.md, Distributions). Counts per fixed bucket are
 * exact, and a bucket of one or two people tells the viewer those people's value range. So
 * neighbouring buckets are merged, from the lowest up, until each holds at least minGroupSize
 * people (a remainder too small joins the bucket before it); fewer than two buckets left means
 * nothing is shown, since one bucket would give every member's range. What is shown is each
 * bucket's share of the people counted, rounded to `DISTRIBUTION_SHARE_STEP`, so that a
 * distribution never gives the exact number of people with data, which a week-to-week comparison
 * would turn into the presence of one person.
 */
import { DISTRIBUTION_SHARE_STEP } from '../contract/api.ts';

export interface MergedBucket {
  readonly from: number;
  /** null for the open-ended last bucket. */
  readonly to: number | null;
  readonly count: number;
}

/** Buckets of at least `minimum` people each, covering the same range as `edges`. */
export function mergeBuckets(
  edges: readonly number[],
  counts: readonly number[],
  minimum: number,
): MergedBucket[] {
  const merged: MergedBucket[] = [];
  let from = edges[0] ?? 0;
  let count = 0;
  for (let index = 0; index < edges.length; index += 1) {
    count += counts[index] ?? 0;
    const to = edges[index + 1] ?? null;
    if (count >= minimum && to !== null) {
      merged.push({ from, to, count });
      from = to;
      count = 0;
    }
  }
  const last = merged.at(-1);
  if (count >= minimum || last === undefined) merged.push({ from, to: null, count });
  else merged[merged.length - 1] = { from: last.from, to: null, count: last.count + count };
  return merged;
}

/** Shown only with at least two buckets, each of at least `minimum` people. */
export function publishableBuckets(
  edges: readonly number[],
  counts: readonly number[],
  minimum: number,
): MergedBucket[] | null {
  const merged = mergeBuckets(edges, counts, minimum);
  const shown = merged.length >= 2 && merged.every((bucket) => bucket.count >= minimum);
  return shown ? merged : null;
}

export function roundedShare(count: number, total: number): number {
  const steps = Math.round(count / total / DISTRIBUTION_SHARE_STEP);
  return Math.round(steps * DISTRIBUTION_SHARE_STEP * 100) / 100;
}
