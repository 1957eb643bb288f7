import { describe, expect, it } from 'vitest';
import {
  differenceInDifferences,
  interruptedTimeSeries,
  isSignificant,
  type WeekValue,
} from './its.ts';
import { studentTCdf, studentTQuantile } from './stats.ts';

/** Deterministic standard normal draws (mulberry32 + Box-Muller), so every run sees the same series. */
function normals(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Mondays from 2026-07-27 on. */
function mondays(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    new Date(Date.UTC(2026, 6, 27 + 7 * i)).toISOString().slice(0, 10),
  );
}

function series(
  weeks: number,
  startIndex: number,
  shape: { base: number; slope: number; level: number; slopeChange: number; sd: number },
  draw: () => number,
): WeekValue[] {
  return mondays(weeks).map((week, i) => {
    const tau = i - startIndex;
    const after = i >= startIndex ? 1 : 0;
    const value =
      shape.base +
      shape.slope * tau +
      after * (shape.level + shape.slopeChange * tau) +
      shape.sd * draw();
    return { week, value };
  });
}

describe("Student's t distribution", () => {
  it('gives the tabulated two-sided 95% critical values, not 1.96, for small samples', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.7764, 4);
    expect(studentTQuantile(0.975, 12)).toBeCloseTo(2.1788, 4);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.96, 2);
  });

  it('is symmetric and its quantile inverts its distribution function', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-1.3, 7) + studentTCdf(1.3, 7)).toBeCloseTo(1, 12);
    for (const p of [0.01, 0.2, 0.9, 0.995])
      expect(studentTCdf(studentTQuantile(p, 5), 5)).toBeCloseTo(p, 9);
  });
});

describe('interrupted time series', () => {
  const START = mondays(16)[8]!;

  it('recovers a known level drop within its interval and calls it significant', () => {
    const result = interruptedTimeSeries(
      series(16, 8, { base: 30, slope: 0.2, level: -6, slopeChange: 0.3, sd: 1 }, normals(1)),
      START,
    );
    if (result.kind !== 'estimate') throw new Error(result.reason);
    expect(result.weeksBefore).toBe(8);
    expect(result.weeksAfter).toBe(8);
    expect(result.df).toBe(12);
    expect(result.tCritical).toBeCloseTo(2.1788, 4);
    expect(result.levelChange.low).toBeLessThan(-6);
    expect(result.levelChange.high).toBeGreaterThan(-6);
    expect(isSignificant(result.levelChange)).toBe(true);
    expect(result.slopeChange.low).toBeLessThan(0.3);
    expect(result.slopeChange.high).toBeGreaterThan(0.3);
    // The counterfactual continues the pre-start line: at the first week after, baseline + slope.
    const first = result.weeks.find((week) => week.after)!;
    expect(first.counterfactual).toBeCloseTo(result.baseline + result.preSlope.estimate, 9);
  });

  it('finds a significant change in about 5% of series without one (the test keeps its size)', () => {
    const draw = normals(2);
    const runs = 2000;
    let level = 0;
    let slope = 0;
    for (let run = 0; run < runs; run++) {
      const result = interruptedTimeSeries(
        series(16, 8, { base: 20, slope: 0.1, level: 0, slopeChange: 0, sd: 1.5 }, draw),
        START,
      );
      if (result.kind !== 'estimate') throw new Error(result.reason);
      if (isSignificant(result.levelChange)) level++;
      if (isSignificant(result.slopeChange)) slope++;
    }
    expect(level / runs).toBeGreaterThan(0.03);
    expect(level / runs).toBeLessThan(0.07);
    expect(slope / runs).toBeGreaterThan(0.03);
    expect(slope / runs).toBeLessThan(0.07);
  });

  it('covers the true level change in 95% of small samples (t intervals; 1.96 would give about 90%)', () => {
    const draw = normals(3);
    const runs = 2000;
    let covered = 0;
    for (let run = 0; run < runs; run++) {
      const result = interruptedTimeSeries(
        series(10, 5, { base: 10, slope: -0.5, level: 2, slopeChange: 0, sd: 1 }, draw),
        mondays(10)[5]!,
      );
      if (result.kind !== 'estimate') throw new Error(result.reason);
      if (result.levelChange.low <= 2 && 2 <= result.levelChange.high) covered++;
    }
    expect(covered / runs).toBeGreaterThan(0.93);
    expect(covered / runs).toBeLessThan(0.97);
  });

  it('refuses to conclude with fewer than four known weeks on one side', () => {
    const points = series(
      10,
      7,
      { base: 5, slope: 0, level: 3, slopeChange: 0, sd: 0.1 },
      normals(4),
    );
    const result = interruptedTimeSeries(points, points[7]!.week);
    expect(result.kind).toBe('refused');
    expect(result.weeksAfter).toBe(3);
    if (result.kind === 'refused')
      expect(result.reason).toMatch(/7 known weeks before the start and 3 from it on.*at least 4/);
  });

  it('leaves suppressed weeks out, counts them, and refuses when every week is suppressed', () => {
    const points = series(
      14,
      7,
      { base: 5, slope: 0, level: 3, slopeChange: 0, sd: 0.1 },
      normals(5),
    );
    const gappy = points.map((point, i) =>
      i === 2 || i === 9 ? { ...point, value: null } : point,
    );
    const result = interruptedTimeSeries(gappy, points[7]!.week);
    expect(result).toMatchObject({
      kind: 'estimate',
      weeksBefore: 6,
      weeksAfter: 6,
      weeksSuppressed: 2,
    });
    const hidden = interruptedTimeSeries(
      points.map((point) => ({ ...point, value: null })),
      points[7]!.week,
    );
    expect(hidden.kind).toBe('refused');
    if (hidden.kind === 'refused') expect(hidden.reason).toMatch(/suppressed/);
  });

  it('counts a week that contains the start date as after it', () => {
    const points = series(
      12,
      6,
      { base: 5, slope: 0, level: 3, slopeChange: 0, sd: 0.1 },
      normals(6),
    );
    const wednesday = new Date(Date.UTC(2026, 6, 27 + 7 * 6 + 2)).toISOString().slice(0, 10);
    const result = interruptedTimeSeries(points, wednesday);
    expect(result).toMatchObject({ weeksBefore: 6, weeksAfter: 6 });
  });
});

describe('difference in differences', () => {
  it('recovers the effect on the treated team net of shocks both teams share', () => {
    const draw = normals(7);
    const weeks = mondays(16);
    const shocks = weeks.map(() => 4 * draw());
    const comparison = weeks.map((week, i) => ({ week, value: 20 + shocks[i]! + 0.5 * draw() }));
    const treated = weeks.map((week, i) => ({
      week,
      value: 25 + shocks[i]! + (i >= 8 ? 3 : 0) + 0.5 * draw(),
    }));
    const result = differenceInDifferences(treated, comparison, weeks[8]!);
    if (result.kind !== 'estimate') throw new Error(result.reason);
    expect(result.df).toBe(14);
    expect(result.gapBefore).toBeCloseTo(5, 0);
    expect(result.effect.low).toBeLessThan(3);
    expect(result.effect.high).toBeGreaterThan(3);
    expect(isSignificant(result.effect)).toBe(true);
  });

  it('finds a significant difference in about 5% of team pairs without a policy', () => {
    const draw = normals(8);
    const weeks = mondays(16);
    const runs = 2000;
    let significant = 0;
    for (let run = 0; run < runs; run++) {
      const a = weeks.map((week) => ({ week, value: 20 + draw() }));
      const b = weeks.map((week) => ({ week, value: 22 + draw() }));
      const result = differenceInDifferences(a, b, weeks[8]!);
      if (result.kind !== 'estimate') throw new Error(result.reason);
      if (isSignificant(result.effect)) significant++;
    }
    expect(significant / runs).toBeGreaterThan(0.03);
    expect(significant / runs).toBeLessThan(0.07);
  });
});
