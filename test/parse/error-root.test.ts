import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hasErrorRoot } from '../../src/parse/error-root.js';

const ERROR = '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

describe('hasErrorRoot', () => {
  it.each([
    ['a bare <Error>', ERROR],
    ['after a declaration and a blank line', `${DECLARATION}\n\n${ERROR}`],
    ['after a BOM', `\uFEFF${DECLARATION}${ERROR}`],
    ['after a comment', `${DECLARATION}<!-- copy -->\n${ERROR}`],
    ['namespaced', '<s3:Error xmlns:s3="x"><Code>SlowDown</Code></s3:Error>'],
    ['an empty element', '<Error/>'],
    ['after long keep-alive whitespace', `${' \r\n\t'.repeat(50_000)}${DECLARATION}${ERROR}`],
  ])('finds the root of %s', (_name, body) => {
    expect(hasErrorRoot(body)).toBe(true);
    expect(hasErrorRoot(Buffer.from(body))).toBe(true);
    const bytes = new TextEncoder().encode(body);
    expect(hasErrorRoot(bytes.buffer)).toBe(true);
    expect(hasErrorRoot(new DataView(bytes.buffer))).toBe(true);
  });

  it.each([
    ['a copy result', `${DECLARATION}<CopyObjectResult><ETag>"x"</ETag></CopyObjectResult>`],
    ['DeleteObjects’ per-key errors', `${DECLARATION}<DeleteResult><Error><Key>b</Key><Code>AccessDenied</Code></Error></DeleteResult>`],
    ['an element whose name starts with Error', '<ErrorDocument><Key>e.html</Key></ErrorDocument>'],
    ['text mentioning <Error>', `log line: ${ERROR}`],
    ['an empty body', ''],
  ])('does not count %s', (_name, body) => {
    expect(hasErrorRoot(body)).toBe(false);
    expect(hasErrorRoot(Buffer.from(body))).toBe(false);
  });

  it('is false for bodies that are not text', () => {
    for (const body of [undefined, null, 42, {}, { Error: 'x' }, [ERROR]]) expect(hasErrorRoot(body)).toBe(false);
  });

  it('agrees on a string and its UTF-8 bytes, and never throws', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ unit: fc.constantFrom(' ', '\n', '\t', '\r') }), fc.boolean(), (tail, space, error) => {
        const body = `${space}${error ? '<Error' : ''}${tail}`;
        expect(hasErrorRoot(Buffer.from(body))).toBe(hasErrorRoot(body));
        if (error) expect(hasErrorRoot(body)).toBe(/^[\s>/]/.test(tail));
      }),
    );
  });
});
