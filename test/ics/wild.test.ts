/**
 * Calendars as real producers write them (issue 13), each shape in a small fixture written for the
 * test under test/fixtures/ics/wild/: what is read right, what is skipped with a warning, and what
 * is still refused.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICS_FIXTURES, expandText, span } from './support.ts';

const WILD = join(ICS_FIXTURES, 'wild');
const wild = (name: string): string => readFileSync(join(WILD, name), 'utf8');

describe('eM Client: VTIMEZONE onsets in year 0001', () => {
  it('reads the zone from its year-0001 onsets instead of refusing the file', () => {
    const expanded = expandText(wild('em-client-year-0001.ics'));
    expect(span(expanded.of('year-0001-winter@example.com')[0])).toBe(
      '2026-03-05T13:00:00Z/2026-03-05T14:00:00Z',
    );
    expect(span(expanded.of('year-0001-summer@example.com')[0])).toBe(
      '2026-04-15T12:00:00Z/2026-04-15T13:00:00Z',
    );
  });
});
