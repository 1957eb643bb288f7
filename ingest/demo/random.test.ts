import { describe, expect, it } from 'vitest';
import { Random } from './random.ts';

const draw = (random: Random, count: number): number[] =>
  Array.from({ length: count }, () => random.uint32());

describe('Random', () => {
  it('repeats its sequence for the same seed and stream, and not for another', () => {
    expect(draw(new Random(42), 50)).toEqual(draw(new Random(42), 50));
    expect(draw(new Random(42), 50)).not.toEqual(draw(new Random(43), 50));
    expect(draw(new Random(42, 1), 50)).not.toEqual(draw(new Random(42, 2), 50));
  });

  it('keeps its pinned outputs, since they decide every generated demo', () => {
    // A change here changes the demo of every seed: update docs/demo.md's figures with it.
    expect(draw(new Random(42), 3)).toEqual([2634028521, 1368349178, 2459471841]);
    const random = new Random(42);
    const values = Array.from({ length: 1000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it('draws integers over the whole inclusive range and nothing outside it', () => {
    const random = new Random(1);
    const seen = new Set<number>();
    for (let index = 0; index < 2000; index++) seen.add(random.int(3, 7));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('samples distinct items and weighs choices by their weights', () => {
    const random = new Random(2);
    const sample = random.sample([1, 2, 3, 4, 5, 6], 4);
    expect(new Set(sample).size).toBe(4);
    expect(random.sample([1, 2], 5)).toHaveLength(2);
    let heavy = 0;
    for (let index = 0; index < 4000; index++)
      if (
        random.weighted([
          ['a', 3],
          ['b', 1],
        ] as const) === 'a'
      )
        heavy += 1;
    expect(heavy / 4000).toBeGreaterThan(0.7);
    expect(heavy / 4000).toBeLessThan(0.8);
  });

  it('has Poisson counts and log-normal times with the requested centre', () => {
    const random = new Random(3);
    const small = Array.from({ length: 4000 }, () => random.poisson(4));
    const large = Array.from({ length: 4000 }, () => random.poisson(120));
    const mean = (values: number[]): number =>
      values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean(small)).toBeGreaterThan(3.8);
    expect(mean(small)).toBeLessThan(4.2);
    expect(mean(large)).toBeGreaterThan(118);
    expect(mean(large)).toBeLessThan(122);
    const times = Array.from({ length: 4001 }, () => random.logNormal(30, 1)).sort((a, b) => a - b);
    expect(times[2000]).toBeGreaterThan(27);
    expect(times[2000]).toBeLessThan(33);
  });

  it("makes ids from Slack's alphabet", () => {
    expect(new Random(4).code(12)).toMatch(/^[0-9A-Z]{12}$/);
  });
});
