/**
 * Guards the conditions every test relies on. Tests must run in a non-UTC zone (`npm test` pins
 * Australia/Lord_Howe, whose half-hour DST shift breaks any code that guesses wall-clock time), so
 * a result that accidentally depends on the machine's zone fails here rather than in production.
 */
export default function setup(): void {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (
    zone === 'UTC' ||
    zone === 'Etc/UTC' ||
    new Date('2026-01-15T00:00:00Z').getTimezoneOffset() === 0
  ) {
    throw new Error(
      `tests must run with TZ set to a non-UTC zone (got ${zone}); use npm test or TZ=Australia/Lord_Howe`,
    );
  }
}
