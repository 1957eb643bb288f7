/**
 * JSON parsing whose errors say where, never what. V8's own `JSON.parse` errors quote a slice of
 * the input (`Unexpected token '}', ..."text": "…"... is not valid JSON`), and the input here is
 * Slack messages, so those errors are never shown. When parsing fails, a small validator scans the
 * text again to find the line and column of the first error and names it from a fixed vocabulary.
 * The scan only runs on failure, so valid files cost one native `JSON.parse`.
 */

export interface JsonPosition {
  /** UTF-16 offset into the text. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface JsonSyntaxProblem {
  /** Null only if V8 rejected text this validator accepts, which should not happen. */
  readonly position: JsonPosition | null;
  readonly reason: string;
}

export type JsonParseResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: JsonSyntaxProblem };

/** Deep enough for any Slack message; the limit keeps a hostile file from exhausting the stack. */
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

class SyntaxStop extends Error {
  readonly offset: number;
  readonly reason: string;

  constructor(offset: number, reason: string) {
    super(reason);
    this.offset = offset;
    this.reason = reason;
  }
}

class JsonScanner {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  get offset(): number {
    return this.#at;
  }

  fail(reason: string, at = this.#at): never {
    throw new SyntaxStop(at, reason);
  }

  peek(): string | undefined {
    return this.#text[this.#at];
  }

  skip(): void {
    this.#at += 1;
  }

  skipWhitespace(): void {
    const text = this.#text;
    let at = this.#at;
    while (at < text.length) {
      const code = text.charCodeAt(at);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) break;
      at += 1;
    }
    this.#at = at;
  }

  document(): void {
    this.value(0);
    this.skipWhitespace();
    if (this.#at < this.#text.length)
      this.fail('unexpected content after the end of the JSON value');
  }

  value(depth: number): void {
    this.skipWhitespace();
    const next = this.peek();
    if (next === undefined) this.fail('unexpected end of file where a value should be');
    if (depth >= MAX_DEPTH) this.fail(`nested more than ${MAX_DEPTH} levels deep`);
    if (next === '{') this.object(depth + 1);
    else if (next === '[') this.array(depth + 1);
    else if (next === '"') this.string();
    else if (next === 't') this.literal('true');
    else if (next === 'f') this.literal('false');
    else if (next === 'n') this.literal('null');
    else if (next === '-' || (next >= '0' && next <= '9')) this.number();
    else this.fail('unexpected character where a value should start');
  }

  object(depth: number): void {
    this.skip();
    this.skipWhitespace();
    if (this.peek() === '}') {
      this.skip();
      return;
    }
    for (;;) {
      this.skipWhitespace();
      const next = this.peek();
      if (next === undefined) this.fail('unexpected end of file inside an object');
      if (next !== '"') this.fail('expected a property name in double quotes');
      this.string();
      this.skipWhitespace();
      if (this.peek() !== ':') this.fail("expected ':' after a property name");
      this.skip();
      this.value(depth);
      this.skipWhitespace();
      const after = this.peek();
      if (after === ',') this.skip();
      else if (after === '}') {
        this.skip();
        return;
      } else if (after === undefined) this.fail('unexpected end of file inside an object');
      else this.fail("expected ',' or '}' after a property value");
    }
  }

  array(depth: number): void {
    this.skip();
    this.skipWhitespace();
    if (this.peek() === ']') {
      this.skip();
      return;
    }
    for (;;) {
      this.value(depth);
      this.skipWhitespace();
      const after = this.peek();
      if (after === ',') this.skip();
      else if (after === ']') {
        this.skip();
        return;
      } else if (after === undefined) this.fail('unexpected end of file inside an array');
      else this.fail("expected ',' or ']' after an array element");
    }
  }

  string(): void {
    const text = this.#text;
    let at = this.#at + 1;
    for (;;) {
      if (at >= text.length) this.fail('unexpected end of file inside a string', at);
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        this.#at = at + 1;
        return;
      }
      if (code === 0x5c) {
        const escape = text[at + 1];
        if (escape === 'u') {
          if (!HEX4.test(text.slice(at + 2, at + 6)))
            this.fail('invalid \\u escape in a string', at);
          at += 6;
        } else if (escape !== undefined && '"\\/bfnrt'.includes(escape)) {
          at += 2;
        } else {
          this.fail('invalid escape sequence in a string', at);
        }
      } else if (code < 0x20) {
        this.fail('control character (such as a raw line break) inside a string', at);
      } else {
        at += 1;
      }
    }
  }

  number(): void {
    NUMBER.lastIndex = this.#at;
    const match = NUMBER.exec(this.#text);
    if (!match) this.fail('invalid number');
    this.#at += match[0].length;
  }

  literal(word: 'true' | 'false' | 'null'): void {
    if (!this.#text.startsWith(word, this.#at))
      this.fail('invalid literal (expected true, false or null)');
    this.#at += word.length;
  }
}

/** Line and column (both from 1) of a UTF-16 offset. */
export function positionAt(text: string, offset: number): JsonPosition {
  let line = 1;
  let lineStart = 0;
  for (
    let newline = text.indexOf('\n');
    newline !== -1 && newline < offset;
    newline = text.indexOf('\n', newline + 1)
  ) {
    line += 1;
    lineStart = newline + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** The first syntax error in `text`, or null when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  const scanner = new JsonScanner(text);
  try {
    scanner.document();
    return null;
  } catch (error) {
    if (error instanceof SyntaxStop)
      return { position: positionAt(text, error.offset), reason: error.reason };
    throw error;
  }
}

/** Parses `text` (a leading byte-order mark is allowed) without ever quoting it in an error. */
export function parseJson(text: string): JsonParseResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    const problem = findJsonSyntaxError(body);
    return { ok: false, problem: problem ?? { position: null, reason: 'not valid JSON' } };
  }
}

/**
 * Where the `index`-th element (from 0) of the top-level array in `text` starts, so a problem
 * found after parsing can still name a line. `text` must be valid JSON.
 */
export function arrayElementPosition(text: string, index: number): JsonPosition | null {
  const offsetBase = text.startsWith('\uFEFF') ? 1 : 0;
  const body = offsetBase === 1 ? text.slice(1) : text;
  const scanner = new JsonScanner(body);
  try {
    scanner.skipWhitespace();
    if (scanner.peek() !== '[') return null;
    scanner.skip();
    for (let element = 0; ; element++) {
      scanner.skipWhitespace();
      if (element === index) return positionAt(text, scanner.offset + offsetBase);
      scanner.value(1);
      scanner.skipWhitespace();
      if (scanner.peek() !== ',') return null;
      scanner.skip();
    }
  } catch (error) {
    if (error instanceof SyntaxStop) return null;
    throw error;
  }
}
