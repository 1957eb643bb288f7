/**
 * Which files to read and whose calendar each one is. Google Calendar exports one `.ics` per
 * calendar, named after the calendar's address (`ada@example.com.ics`), so a folder of them needs
 * no further arguments; any other name needs `--owner`.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InputError, type Problem } from '../../warehouse/errors.ts';
import { normaliseEmail } from '../../warehouse/identity.ts';

export interface CalendarSource {
  /** The path as the user gave it, or as found in a folder they gave. */
  readonly file: string;
  /** Normalised (trimmed, lower case). */
  readonly ownerEmail: string;
}

const EMAIL = /^[^@\s,;<>/\\]+@[^@\s,;<>/\\]+\.[^@\s,;<>/\\]+$/;
const ICS_FILE = /\.ics$/i;

export function isEmailAddress(text: string): boolean {
  return EMAIL.test(text);
}

/** The files named, and the `.ics` files anywhere under the folders named, each once, in order. */
export function findCalendarFiles(paths: readonly string[]): string[] {
  const problems: Problem[] = [];
  const files: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    const absolute = resolve(file);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push(file);
  };
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push({ location: { file: path }, message: `cannot read it (${code})` });
      continue;
    }
    if (!isFolder) {
      add(path);
      continue;
    }
    const found = readdirSync(path, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && ICS_FILE.test(entry.name))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort();
    if (found.length === 0)
      problems.push({ location: { file: path }, message: 'the folder holds no .ics files' });
    for (const file of found) add(file);
  }
  if (problems.length > 0) {
    throw new InputError(
      `${problems.length} path${problems.length === 1 ? '' : 's'} cannot be imported; nothing was imported`,
      problems,
    );
  }
  return files;
}

/**
 * Pairs each file with its owner: `--owner` for every file when given, else the file's name when
 * it is an email address. Every file whose owner cannot be told is reported at once.
 */
export function calendarSources(files: readonly string[], owner: string | null): CalendarSource[] {
  if (owner !== null) {
    const ownerEmail = normaliseEmail(owner);
    if (!isEmailAddress(ownerEmail))
      throw new InputError(`--owner: '${owner}' is not an email address`);
    return files.map((file) => ({ file, ownerEmail }));
  }
  const problems: Problem[] = [];
  const sources: CalendarSource[] = [];
  for (const file of files) {
    const name = normaliseEmail(basename(file).replace(ICS_FILE, ''));
    if (isEmailAddress(name)) sources.push({ file, ownerEmail: name });
    else
      problems.push({
        location: { file },
        message:
          'cannot tell whose calendar this is: its name is not an email address. Name it after its owner (ada@example.com.ics) or pass --owner EMAIL',
      });
  }
  if (problems.length > 0) {
    throw new InputError(
      `the owner of ${problems.length} calendar${problems.length === 1 ? '' : 's'} is unknown; nothing was imported`,
      problems,
    );
  }
  return sources;
}
