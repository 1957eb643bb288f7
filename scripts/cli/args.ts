/** Validation of command-line values, so a bad `--from` fails as a usage error (exit 2). */
import { isIsoDate } from '../../warehouse/dates.ts';
import { InputError } from '../../warehouse/errors.ts';

export function isoDateOption(option: string): (value: string) => string {
  return (value) => {
    if (!isIsoDate(value))
      throw new InputError(`${option}: expected a date as YYYY-MM-DD, got '${value}'`);
    return value;
  };
}

export function integerOption(option: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^-?\d+$/.test(value) || number < min || number > max) {
      throw new InputError(
        `${option}: expected a whole number from ${min} to ${max}, got '${value}'`,
      );
    }
    return number;
  };
}
