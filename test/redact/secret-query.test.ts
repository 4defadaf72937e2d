/**
 * Secret query parameters by name pattern: a name is secret when, decoded and
 * in any case, it contains signature, credential, token, secret, password or
 * accesskey. An exact table, then a property over generated names.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REDACTED } from '../../src/redact/redacted.js';
import { redactUrl } from '../../src/redact/redact-url.js';
import { isSecretQueryName, redactQuery, SECRET_QUERY_NAME_PARTS } from '../../src/redact/secret-query.js';

const RUNS = 500;

describe('isSecretQueryName', () => {
  it.each([
    'Signature',
    'X-Obs-Signature',
    'X%2DAmz%2DSignature',
    'X-Amz-Credential',
    'x-obs-security-token',
    'X-Amz-Security-Token',
    'AccessKeyId',
    'AWSAccessKeyId',
    'sessionToken',
    'password',
    'client_secret',
    'access_key',
    'Policy',
    '%2553ignature',
    '%53%49%47%4e%41%54%55%52%45',
    'ſignature',
    'x+obs+security+token',
    ' token ',
  ])('%s is secret', (name) => {
    expect(isSecretQueryName(name)).toBe(true);
  });

  it.each(['prefix', 'marker', 'max-keys', 'versionId', 'uploadId', 'partNumber', 'Expires', 'acl', 'response-content-type', 'x-obs-date', 'delimiter'])(
    '%s is not secret',
    (name) => {
      expect(isSecretQueryName(name)).toBe(false);
    },
  );
});

/** Letters, digits and the separators names are made of. */
const nameChar = fc.constantFrom(...Array.from('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.'));
const affix = fc.array(nameChar, { maxLength: 6 }).map((chars) => chars.join(''));

/** Percent-encodes one character (upper or lower hex), or twice (`%25xx`). */
function encodeChar(char: string, how: number): string {
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
  if (how === 1) return `%${hex.toUpperCase()}`;
  if (how === 2) return `%${hex}`;
  if (how === 3) return `%25${hex.toUpperCase()}`;
  return char;
}

/**
 * A secret name as a client or an attacker could spell it: a secret part between
 * arbitrary affixes, each character in random case and possibly percent-encoded
 * (once, in either hex case, or twice).
 */
const secretName = fc
  .tuple(affix, fc.constantFrom(...SECRET_QUERY_NAME_PARTS), affix, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), fc.array(fc.nat(6), { minLength: 30, maxLength: 30 }))
  .map(([before, part, after, upper, encode]) =>
    Array.from(`${before}${part}${after}`)
      .map((char, index) => encodeChar(upper[index] === true ? char.toUpperCase() : char, encode[index] ?? 0))
      .join(''),
  );

/** Values marked with `~`, which no generated name holds, so finding one in the output is a leak and not a coincidence. */
const secretValue = fc.string({ unit: 'grapheme', minLength: 6, maxLength: 16 }).map((text) => `~${text}~`);

function forms(value: string): string[] {
  return [value, encodeURIComponent(value), value.slice(1, -1)].filter((form) => form.length >= 6);
}

describe('secret query values never survive redaction', () => {
  it('accepts every generated secret name', () => {
    fc.assert(
      fc.property(secretName, (name) => {
        expect(isSecretQueryName(name)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('replaces the value, wherever the parameter stands, in a query and in a URL', () => {
    fc.assert(
      fc.property(secretName, secretValue, fc.array(fc.constantFrom('versionId=v1', 'acl', 'prefix=a%2Fb', 'x='), { maxLength: 3 }), fc.nat(3), (name, value, others, at) => {
        const pairs: string[] = [...others];
        pairs.splice(Math.min(at, pairs.length), 0, `${name}=${encodeURIComponent(value)}`);
        const query = pairs.join('&');
        const redacted = redactQuery(query);
        expect(redacted).toContain(`${name}=${REDACTED}`);
        for (const output of [redacted, redactUrl(`https://bucket.obs.example.com/k?${query}`), redactUrl(`/k?${query}`)]) {
          for (const form of forms(value)) expect(output).not.toContain(form);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
