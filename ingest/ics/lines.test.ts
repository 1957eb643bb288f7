import { describe, expect, it } from 'vitest';
import { unfoldLines } from './lines.ts';

describe('unfoldLines', () => {
  it('joins folded lines and keeps the number of the line each content line starts on', () => {
    const text = [
      'BEGIN:VEVENT',
      'ATTENDEE;CN=Ada Lov',
      ' elace;PARTSTAT=ACCEPTED:mailto:ada@',
      '\texample.com',
      'UID:x',
      'END:VEVENT',
    ].join('\r\n');
    expect([...unfoldLines(text)]).toEqual([
      { line: 1, text: 'BEGIN:VEVENT' },
      { line: 2, text: 'ATTENDEE;CN=Ada Lovelace;PARTSTAT=ACCEPTED:mailto:ada@example.com' },
      { line: 5, text: 'UID:x' },
      { line: 6, text: 'END:VEVENT' },
    ]);
  });

  it('accepts LF and lone CR line breaks, skips blank lines and drops a byte-order mark', () => {
    const text = '\uFEFFBEGIN:VCALENDAR\n\nVERSION:2.0\rEND:VCALENDAR\n';
    expect([...unfoldLines(text)]).toEqual([
      { line: 1, text: 'BEGIN:VCALENDAR' },
      { line: 3, text: 'VERSION:2.0' },
      { line: 4, text: 'END:VCALENDAR' },
    ]);
  });

  it('does not attach an indented line to the one before a blank line', () => {
    expect([...unfoldLines('UID:x\n\n continued')]).toEqual([
      { line: 1, text: 'UID:x' },
      { line: 3, text: ' continued' },
    ]);
  });
});
