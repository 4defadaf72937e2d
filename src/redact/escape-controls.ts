/**
 * Escaping of characters that let text from a server forge or rewrite a log
 * line: C0 controls (line feed, carriage return, ESC of ANSI sequences), DEL,
 * C1 controls (`\x9b` is a one-byte CSI), the Unicode line and paragraph
 * separators, and the bidirectional overrides and isolates.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same set without the line feed
const UNSAFE_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(char: string): string {
  const short = SHORT[char];
  if (short !== undefined) return short;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Returns `text` with every unsafe character written as an escape: `\n` → `\\n`,
 * `\r` → `\\r`, `\t` → `\\t`, `\x1b` → `\\x1b`, `\x9b` → `\\x9b`, `\u2028` → `\\u2028`.
 * Backslashes are kept as they are. `keepNewlines` keeps `\n` (for stacks,
 * whose frames are lines of their own).
 */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? UNSAFE_BUT_NEWLINE : UNSAFE, escapeOne);
}
