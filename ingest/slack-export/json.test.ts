import { describe, expect, it } from 'vitest';
import { arrayElementPosition, findJsonSyntaxError, parseJson } from './json.ts';

const SECRET = 'hush-7';

function failure(text: string): { line: number; column: number; reason: string } {
  const result = parseJson(text);
  if (result.ok) throw new Error('expected a syntax error');
  const { position, reason } = result.problem;
  if (position === null) throw new Error('expected a position');
  return { line: position.line, column: position.column, reason };
}

describe('parseJson', () => {
  it('parses valid JSON, with or without a byte-order mark', () => {
    expect(parseJson('[{"ts": "1.000001"}]')).toEqual({ ok: true, value: [{ ts: '1.000001' }] });
    expect(parseJson('\uFEFF[1, 2]')).toEqual({ ok: true, value: [1, 2] });
  });

  it('locates the error by line and column and never quotes the text around it', () => {
    // V8's own message for this input quotes the secret; ours must not.
    const text = `[\n  {"ts": "1.000001"},\n  ["${SECRET}",x]\n]`;
    expect(() => {
      JSON.parse(text);
    }).toThrow(SECRET);
    const problem = failure(text);
    expect(problem).toEqual({
      line: 3,
      column: 3 + `["${SECRET}",`.length,
      reason: 'unexpected character where a value should start',
    });
    expect(JSON.stringify(problem)).not.toContain(SECRET);
  });

  it.each([
    [
      'a truncated file',
      '[{"ts": "1.000001"},\n {"ts": "2.0',
      2,
      13,
      'unexpected end of file inside a string',
    ],
    ['a trailing comma', '[{"a": 1,}]', 1, 10, 'expected a property name in double quotes'],
    [
      'a raw line break in a string',
      '["one\ntwo"]',
      1,
      6,
      'control character (such as a raw line break) inside a string',
    ],
    ['a bad literal', '[tru]', 1, 2, 'invalid literal (expected true, false or null)'],
    ['a bad escape', '["\\x"]', 1, 3, 'invalid escape sequence in a string'],
    ['two documents', '[]\n[]', 2, 1, 'unexpected content after the end of the JSON value'],
    ['an empty file', '', 1, 1, 'unexpected end of file where a value should be'],
    ['a missing array comma', '[1\n2]', 2, 1, "expected ',' or ']' after an array element"],
    ['a single-quoted key', "{'a': 1}", 1, 2, 'expected a property name in double quotes'],
  ])('names the position of %s', (_case, text, line, column, reason) => {
    expect(failure(text)).toEqual({ line, column, reason });
  });

  it('agrees with JSON.parse on what is valid', () => {
    const valid = [
      '{"a": [1, -2.5e+3, 0, true, false, null, "\\u00e9\\n\\"x\\""], "b": {}}',
      '  [ ]  ',
      '"just a string"',
      '-0.0E-2',
      JSON.stringify({ nested: [[[{ deep: ['é', '😀', 1e21] }]]] }),
    ];
    for (const text of valid) {
      expect(() => {
        JSON.parse(text);
      }).not.toThrow();
      expect(findJsonSyntaxError(text)).toBeNull();
    }
    const invalid = [
      '01',
      '1.',
      '.5',
      '+1',
      '[1,]',
      '{"a"}',
      '{"a":}',
      '"\\u12G4"',
      'nul',
      '[',
      '}',
    ];
    for (const text of invalid) {
      expect(() => {
        JSON.parse(text);
      }).toThrow();
      expect(findJsonSyntaxError(text)).not.toBeNull();
    }
  });

  it('reports absurd nesting as an error instead of overflowing the stack', () => {
    const text = '['.repeat(100_000);
    expect(failure(text).reason).toMatch(/nested more than \d+ levels deep/);
  });
});

describe('arrayElementPosition', () => {
  it('finds where the n-th element of the top-level array starts', () => {
    const text =
      '[\n  {"ts": "1.000001", "text": "[{,"},\n  {"ts": "2.000002"},\n  {"x": [1, 2]}\n]';
    expect(arrayElementPosition(text, 0)).toMatchObject({ line: 2, column: 3 });
    expect(arrayElementPosition(text, 2)).toMatchObject({ line: 4, column: 3 });
    expect(arrayElementPosition(text, 3)).toBeNull();
    expect(arrayElementPosition('{"not": "an array"}', 0)).toBeNull();
  });
});
