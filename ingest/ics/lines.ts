/**
 * RFC 5545 content lines with the physical line each one starts on. ical.js unfolds text without
 * keeping line numbers, and its error messages quote the offending line (which may hold a title),
 * so we unfold here and hand ical.js one content line at a time: every problem can then name its
 * file and line without repeating what the line says.
 */

export interface ContentLine {
  /** 1-based number of the physical line the content line starts on. */
  readonly line: number;
  /** The unfolded text, without the line break. */
  readonly text: string;
}

/**
 * Unfolds `text`: a physical line starting with a space or a tab continues the previous one. Blank
 * lines are skipped (ical.js skips them too), a leading byte-order mark is dropped, and CRLF, LF
 * and lone CR line breaks are all accepted.
 */
export function* unfoldLines(text: string): Generator<ContentLine> {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const physicalLines = body.split(/\r\n|\r|\n/);
  let current: string | null = null;
  let currentLine = 0;
  for (let index = 0; index < physicalLines.length; index++) {
    const physical = physicalLines[index] ?? '';
    const first = physical[0];
    if (current !== null && (first === ' ' || first === '\t')) {
      current += physical.slice(1);
      continue;
    }
    if (current !== null) yield { line: currentLine, text: current };
    current = physical.trim() === '' ? null : physical;
    currentLine = index + 1;
  }
  if (current !== null) yield { line: currentLine, text: current };
}
