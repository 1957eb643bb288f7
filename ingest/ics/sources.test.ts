import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/warehouse.ts';
import { InputError } from '../../warehouse/errors.ts';
import { calendarSources, findCalendarFiles } from './sources.ts';

function rejection(work: () => unknown): InputError {
  try {
    work();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('findCalendarFiles', () => {
  it('finds .ics files in folders at any depth, in order, each once, next to files named directly', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'Calendar', 'team'), { recursive: true });
    for (const name of [
      'b@example.com.ics',
      'notes.txt',
      'Calendar/A@Example.com.ICS',
      'Calendar/team/c@example.com.ics',
    ])
      writeFileSync(join(dir, name), 'BEGIN:VCALENDAR\n');
    const named = join(dir, 'b@example.com.ics');
    expect(findCalendarFiles([named, dir])).toEqual([
      named,
      join(dir, 'Calendar', 'A@Example.com.ICS'),
      join(dir, 'Calendar', 'team', 'c@example.com.ics'),
    ]);
  });

  it('reports every path it cannot use', () => {
    const empty = tempDir();
    const error = rejection(() => findCalendarFiles([join(empty, 'missing.ics'), empty]));
    expect(error.details).toEqual([
      `${join(empty, 'missing.ics')}: cannot read it (ENOENT)`,
      `${empty}: the folder holds no .ics files`,
    ]);
  });
});

describe('calendarSources', () => {
  it('takes the owner from a file named after an address, in any case', () => {
    expect(calendarSources(['exports/Ada@Example.com.ics'], null)).toEqual([
      { file: 'exports/Ada@Example.com.ics', ownerEmail: 'ada@example.com' },
    ]);
  });

  it('gives every file the owner named with --owner', () => {
    expect(calendarSources(['work.ics', 'ada@example.com.ics'], ' Grace@Example.com ')).toEqual([
      { file: 'work.ics', ownerEmail: 'grace@example.com' },
      { file: 'ada@example.com.ics', ownerEmail: 'grace@example.com' },
    ]);
  });

  it('names every file whose owner it cannot tell, and refuses a malformed --owner', () => {
    const error = rejection(() =>
      calendarSources(['work.ics', 'ada@example.com.ics', 'basic.ics'], null),
    );
    expect(error.message).toBe('the owner of 2 calendars is unknown; nothing was imported');
    expect(error.problems.map((problem) => problem.location.file)).toEqual([
      'work.ics',
      'basic.ics',
    ]);
    expect(error.details[0]).toContain('pass --owner EMAIL');
    expect(rejection(() => calendarSources(['work.ics'], 'ada')).message).toBe(
      "--owner: 'ada' is not an email address",
    );
  });
});
