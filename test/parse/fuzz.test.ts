/**
 * Property-based tests: whatever bytes, XML, headers and statuses arrive, the
 * parser and the classifier never throw, never pollute Object.prototype, and
 * answer in bounded time.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import fc from 'fast-check';
import { classifyObsFault, parseObsError } from '../../src/index.js';

const RUNS = 300;
/** Per-input bound: generous, since a busy 2-core CI machine is slow; a hang or blow-up is far above it. */
const MAX_MS_PER_INPUT = 500;
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

function timed<T>(run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
  return result;
}

const tagName = fc.oneof(
  fc.constantFrom('Error', 'Code', 'Message', 'RequestId', 'HostId', 'Endpoint', 'Key', '__proto__', 'constructor', 'prototype', 'toString', 's3:Error', 'a'),
  fc.stringMatching(/^[A-Za-z_][\w.-]{0,12}$/),
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('&amp;', '&lt;', '&#65;', '&#x10FFFF;', '&#99999999;', '&lol9;', '&xxe;', ']]>', '<![CDATA[x]]>', '\uFEFF', '\u0000', 'é漢字🙂'),
  fc.string({ minLength: 1000, maxLength: 5000 }),
);
const attributes = fc.array(fc.tuple(fc.stringMatching(/^[a-z:_]{1,8}$/), fc.string({ maxLength: 10 })), { maxLength: 3 });

const xmlTree: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.tuple(tagName, attributes, fc.array(tie('node'), { maxLength: 4 })).map(
      ([name, attrs, children]) => `<${name}${attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${children.join('')}</${name}>`,
    ),
    fc.tuple(tagName, text).map(([name, value]) => `<${name}><![CDATA[${value}]]></${name}>`),
  ),
})).node;

const nested = fc.integer({ min: 1, max: 400 }).map((depth) => `${'<a>'.repeat(depth)}<Code>X</Code>${'</a>'.repeat(depth)}`);
const doctype = fc
  .tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.string({ maxLength: 30 }), xmlTree)
  .map(([name, value, body]) => `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY ${name} "${value}">]>${body}`);
const document = fc.oneof(xmlTree, nested, doctype, xmlTree.map((body) => `<?xml version="1.0" encoding="ISO-8859-1"?><Error>${body}</Error>`));

const headerValue = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.integer());
const headers = fc.dictionary(
  fc.oneof(fc.constantFrom('x-obs-error-code', 'X-OBS-REQUEST-ID', 'x-amz-id-2', 'retry-after', 'date', 'location', '__proto__', 'constructor'), fc.string({ maxLength: 12 })),
  headerValue,
  { maxKeys: 6 },
);

const config = { headers: new AxiosHeaders(), url: '/b/k', method: 'get' } as InternalAxiosRequestConfig;

afterAll(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('fuzzing parseObsError', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), headers, (bytes, h) => {
        timed(() => parseObsError(Buffer.from(bytes), h));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random strings and JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), fc.json()), (body) => {
        timed(() => parseObsError(body));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws, pollutes or stalls on random XML trees (deep nesting, DOCTYPE entities, reserved names, CDATA)', () => {
    fc.assert(
      fc.property(document, headers, (body, h) => {
        const parsed = timed(() => parseObsError(body, h));
        if (parsed !== undefined) expect(typeof parsed.code).toBe('string');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random already-parsed objects', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        timed(() => parseObsError(value));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzzing classifyObsFault', () => {
  it('never throws on random statuses, headers and bodies', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), headers, fc.oneof(document, fc.string({ maxLength: 200 }), fc.constant(undefined)), (status, h, data) => {
        const response = { status, statusText: '', headers: new AxiosHeaders(h), data, config };
        const error = new AxiosError('failed', 'ERR_BAD_RESPONSE', config, {}, response);
        const fault = timed(() => classifyObsFault(error));
        expect(typeof fault?.code).toBe('string');
        timed(() => classifyObsFault({ status, headers: h, data }));
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws on random rejections', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string({ maxLength: 20 }), (value, code) => {
        timed(() => classifyObsFault(value));
        timed(() => classifyObsFault(Object.assign(new Error(code), { code })));
      }),
      { numRuns: RUNS },
    );
  });
});
