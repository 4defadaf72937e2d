/**
 * escapeControls: server text cannot end a log line, move the cursor or recolour
 * the terminal once it is escaped.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { escapeControls } from '../../src/redact/escape-controls.js';

// eslint-disable-next-line no-control-regex -- what must not be left
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('escapeControls', () => {
  it.each<[string, string]>([
    ['line\nFORGED', 'line\\nFORGED'],
    ['a\r\nb\tc', 'a\\r\\nb\\tc'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['csi\u009b2J', 'csi\\x9b2J'],
    ['nul\u0000del\u007f', 'nul\\x00del\\x7f'],
    ['ls\u2028ps\u2029', 'ls\\u2028ps\\u2029'],
    ['bidi\u202eevil\u2066', 'bidi\\u202eevil\\u2066'],
    ['plain text, a backslash \\n and unicode é漢🙂', 'plain text, a backslash \\n and unicode é漢🙂'],
  ])('%j', (input, expected) => {
    expect(escapeControls(input)).toBe(expected);
  });

  it('keeps line feeds when asked (stacks), and escapes everything else', () => {
    expect(escapeControls('Error: x\u001b[2J\n    at f (a.js:1:1)', true)).toBe('Error: x\\x1b[2J\n    at f (a.js:1:1)');
  });

  it('leaves no unsafe character in any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(escapeControls(text)).not.toMatch(UNSAFE);
        expect(escapeControls(text, true).split('\n')).toHaveLength(text.split('\n').length);
      }),
      { numRuns: 300 },
    );
  });
});
