import { readFileSync } from 'node:fs';
import { InputError } from './errors.ts';

/** A user's text file (UTF-8), or an InputError naming it and why it cannot be read. */
export function readTextFile(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw InputError.at(
      { file },
      `cannot read the ${what} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
  }
}
