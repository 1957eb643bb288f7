import { describe, expect, it } from 'vitest';
import {
  EMPTY_VALUE,
  formatActive,
  formatBucket,
  formatPeople,
  formatTick,
  formatValue,
} from './format.ts';

describe('values with units', () => {
  it('writes hours, minutes, percentages and counts with their unit', () => {
    expect(formatValue(7.46, 'hours')).toBe('7.5 h');
    expect(formatValue(12, 'hours')).toBe('12 h');
    expect(formatValue(42.4, 'minutes')).toBe('42 min');
    expect(formatValue(4.25, 'minutes')).toBe('4.3 min');
    expect(formatValue(1250, 'minutes')).toBe('1,250 min');
    expect(formatValue(27.4, 'percent')).toBe('27%');
    expect(formatValue(42.5, 'count')).toBe('42.5');
  });

  it('shows shares (0–1) as percentages', () => {
    expect(formatValue(0.274, 'share')).toBe('27%');
    expect(formatValue(0.075, 'share')).toBe('7.5%');
    expect(formatValue(0, 'share')).toBe('0%');
  });

  it('shows an empty value as a dash, never as zero', () => {
    expect(formatValue(null, 'hours')).toBe(EMPTY_VALUE);
    expect(formatValue(Number.NaN, 'percent')).toBe(EMPTY_VALUE);
  });

  it('never prints a negative zero', () => {
    expect(formatValue(-0.01, 'hours')).toBe('0 h');
  });

  it('labels axes compactly', () => {
    expect(formatTick(0.25, 'share')).toBe('25%');
    expect(formatTick(0.025, 'share')).toBe('2.5%');
    expect(formatTick(120, 'minutes')).toBe('120 min');
  });

  it('labels distribution buckets, the last one open-ended', () => {
    expect(formatBucket(5, 15, 'minutes')).toBe('5–15 min');
    expect(formatBucket(0.05, 0.1, 'share')).toBe('5–10%');
    expect(formatBucket(480, null, 'minutes')).toBe('≥ 480 min');
    expect(formatBucket(60, 120, 'minutes', { compact: true })).toBe('60–120');
    expect(formatBucket(0.5, null, 'share', { compact: true })).toBe('≥ 50');
  });

  it('counts people in words', () => {
    expect(formatPeople(1)).toBe('1 person');
    expect(formatPeople(6)).toBe('6 people');
  });
});

describe('active people', () => {
  it('shows the band the API gives, and the head count alone when there is none', () => {
    expect(formatActive({ min: 5, max: 9 }, 12)).toBe('5–9 of 12 active');
    expect(formatActive({ min: 10, max: 10 }, 10)).toBe('10 of 10 active');
    expect(formatActive(null, 12)).toBe('12 people');
  });
});
