/**
 * redactUrl against hostile URLs: an exact table, then properties that no
 * generated password, user name or signature value survives redaction.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { REDACTED, redactUrl, SECRET_HEADERS } from '../../src/redact/redact-url.js';
import { isSecretQueryName } from '../../src/redact/secret-query.js';

const R = REDACTED;
const RUNS = 300;

describe('redactUrl: hostile URLs', () => {
  it.each<[label: string, input: string, expected: string]>([
    // userinfo
    ['raw @ in the password (the reported bug)', 'https://AK:pa@ss@host/k', 'https://host/k'],
    ['several raw @ in the password', 'https://AK:p@s@s@w@rd@host/k', 'https://host/k'],
    ['%40 in the password', 'https://AK:pa%40ss@host/k', 'https://host/k'],
    [': inside the password', 'https://AK:pa:ss:word@host/k', 'https://host/k'],
    ['userinfo without password', 'https://AK@host/k', 'https://host/k'],
    ['empty userinfo', 'https://:@host/k', 'https://host/k'],
    ['unicode and % in the password', 'https://AK:p%ä漢🙂@host/k', 'https://host/k'],
    ['uppercase scheme and host', 'HTTPS://AK:SK@BUCKET.OBS.EXAMPLE.COM/Key', 'https://bucket.obs.example.com/Key'],
    ['IPv6 host with port', 'http://[::1]:8080/k', 'http://[::1]:8080/k'],
    ['IPv6 host with userinfo', 'http://AK:p@ss@[::1]:8080/k?token=t', `http://[::1]:8080/k?token=${R}`],
    ['protocol-relative with userinfo', '//user:pw@host/k', '//host/k'],
    ['protocol-relative with backslashes', '\\\\user:pw@host/k?Signature=s', `//host/k?Signature=${R}`],
    ['a newline hiding a protocol-relative URL', '/\n/user:pw@host/k', '//host/k'],
    ['no scheme: AK:SK@host', 'AK:pa@ss@host:8080/k?Signature=s', `host:8080/k?Signature=${R}`],
    ['non-http scheme with userinfo', 'foo://user:pw@host/k#frag', 'foo://host/k'],
    // query
    ['repeated and encoded signature names', 'https://h/k?Signature=a&signature=b&%53ignature=c', `https://h/k?Signature=${R}&signature=${R}&%53ignature=${R}`],
    ['a doubly encoded name', 'https://h/k?%2553ignature=a&S%69GNATURE=b', `https://h/k?%2553ignature=${R}&S%69GNATURE=${R}`],
    ['OBS query auth', 'https://h/k?AccessKeyId=AK&Expires=1700000000&Signature=sig%2B%2F%3D', `https://h/k?AccessKeyId=${R}&Expires=1700000000&Signature=${R}`],
    [
      'SigV4 presigned',
      'https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20240101%2Fr%2Fs3%2Faws4_request&X-Amz-Signature=abc&X-Amz-Security-Token=tok',
      `https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${R}&X-Amz-Signature=${R}&X-Amz-Security-Token=${R}`,
    ],
    ['x-obs-security-token in any case', 'https://h/k?X-OBS-Security-Token=t1&x-obs-security-token=t2', `https://h/k?X-OBS-Security-Token=${R}&x-obs-security-token=${R}`],
    ['AWSAccessKeyId and policy', 'https://h/?AWSAccessKeyId=AK&Policy=eyJ9&acl', `https://h/?AWSAccessKeyId=${R}&Policy=${R}&acl`],
    ['+ and spaces around the name', 'https://h/k?a+b=c+d&Signature+=s&+token=t', `https://h/k?a+b=c+d&Signature+=${R}&+token=${R}`],
    ['empty values and names without =', 'https://h/k?a=&b&Signature=&policy&token', 'https://h/k?a=&b&Signature=&policy&token'],
    ['; as a separator', 'https://h/k?x=1;token=abc', `https://h/k?x=1;token=${R}`],
    ['a value holding =', 'https://h/k?Signature=a=b==&x=y=z', `https://h/k?Signature=${R}&x=y=z`],
    ['a name containing a secret word is secret', 'https://h/k?signatures=1&my-token=2&versionId=3', `https://h/k?signatures=${R}&my-token=${R}&versionId=3`],
    ['ordinary OBS parameters are kept', 'https://h/k?prefix=a&marker=b&max-keys=3&uploadId=u&partNumber=1', 'https://h/k?prefix=a&marker=b&max-keys=3&uploadId=u&partNumber=1'],
    // fragments
    ['a fragment holding Signature', 'https://h/k?a=1#Signature=secret', 'https://h/k?a=1'],
    ['a fragment holding @ and ?', 'https://h/k#u:p@x?Signature=s', 'https://h/k'],
    // relative
    ['path-absolute with OBS query auth', '/bucket/k?AccessKeyId=AK&Signature=s#f', `/bucket/k?AccessKeyId=${R}&Signature=${R}`],
    ['path-relative', 'dir/k.jpg?x-obs-security-token=t', `dir/k.jpg?x-obs-security-token=${R}`],
    ['query only', '?Signature=s&uploads', `?Signature=${R}&uploads`],
    ['fragment only', '#Signature=s', ''],
    ['an object key with @ stays', 'alice@example.com/photo.jpg', 'alice@example.com/photo.jpg'],
    ['dot segments are resolved', '../a/./b?token=1', `a/b?token=${R}`],
    // garbage the URL parser rejects
    ['space in the host, raw @ in the password', 'https://AK:pa@ss@ho st/k?Signature=s#f', `https://ho st/k?${R}`],
    ['port out of range', 'https://AK:SK@host:99999/k?a=1', `https://host:99999/k?${R}`],
    ['broken IPv6 literal', 'http://u:p@[::1/k?token=x', `http://[::1/k?${R}`],
    ['protocol-relative garbage', '//user:pw@ho st/k', '//ho st/k'],
    ['no slashes after the scheme', 'https:AK:SK@ho st/k', 'ho st/k'],
    ['control characters', 'https://ho st/\u0000k\u001b?x', `https://ho st/k?${R}`],
    ['empty query on garbage', 'https://ho st/k?', 'https://ho st/k'],
    // trivial
    ['empty string', '', ''],
    ['only spaces', '   ', ''],
    ['surrounding spaces', '  https://u:p@h/k  ', 'https://h/k'],
  ])('%s', (_label, input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('returns an empty string for undefined and non-strings, and reads URL objects', () => {
    expect(redactUrl(undefined)).toBe('');
    expect(redactUrl(42 as unknown as string)).toBe('');
    expect(redactUrl(new URL('https://AK:SK@h/k?Signature=s') as unknown as string)).toBe(`https://h/k?Signature=${R}`);
  });

  it('keeps the exports other modules import', () => {
    expect(REDACTED).toBe('[REDACTED]');
    expect(SECRET_HEADERS.has('authorization')).toBe(true);
    expect(SECRET_HEADERS.has('x-obs-security-token')).toBe(true);
  });
});

const HOST = 'bucket.obs.example.com';
const PATH = '/dir/object.bin';

/** Unicode, URL delimiters and percent signs: what breaks naive splitting. */
const nasty = fc.constantFrom('@', ':', '%', '%40', '%zz', '/', '?', '#', '&', '=', ';', '+', ' ', '[', ']', '\\', 'ä', '漢', '🙂', '\u00a0');
/** Secrets of at least 6 visible characters, mixing random graphemes with `alphabet`. */
const secretText = (alphabet: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }) }, { weight: 2, arbitrary: alphabet }), {
      minLength: 3,
      maxLength: 12,
    })
    .map((parts) => parts.join(''))
    .filter((text) => text.trim().length >= 6);

/** Characters a raw (unencoded) password may hold without ending the authority. */
const rawSafe = fc.constantFrom('@', ':', '%', '%40', '!', '$', "'", '(', '*', ',', '[', 'ä', '漢', '🙂');
const rawPassword = secretText(rawSafe).filter((text) => !/[/?#\\\s]/.test(text));

/** Every form in which `secret` could show up in a printed URL. */
function forms(secret: string): string[] {
  const encoded = encodeURIComponent(secret);
  const formDecoded = new URLSearchParams(`x=${encoded}`).get('x') ?? secret;
  return [...new Set([secret, encoded, formDecoded, encodeURI(secret)])];
}

/**
 * Asserts that the redaction of `build(secrets)` does not depend on the secrets
 * at all: it equals the redaction with neutral placeholders in their place
 * (this also catches a leaked tail such as `ss` of `pa@ss`), and no form of a
 * secret shows up in it. A form that also appears in the neutral URL (a value
 * like `object` inside `/dir/object.bin`) is part of the fixed text, not a leak.
 */
function expectHidden(build: (secrets: readonly string[]) => string, secrets: readonly string[]): void {
  const neutralInput = build(secrets.map((_secret, index) => `NEUTRAL${String(index)}`));
  const neutralOutput = redactUrl(neutralInput);
  const output = redactUrl(build(secrets));
  expect(output).toBe(neutralOutput);
  const background = `${neutralInput} ${neutralOutput}`.toLowerCase();
  for (const secret of secrets) {
    for (const form of forms(secret)) {
      if (!background.includes(form.toLowerCase())) expect(output).not.toContain(form);
    }
  }
}

/** Secret parameter names of the signers and services the package meets (at most 24 characters). */
const SECRET_NAMES = [
  'signature',
  'x-obs-signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-obs-security-token',
  'accesskeyid',
  'awsaccesskeyid',
  'policy',
  'token',
  'sessiontoken',
  'password',
];

/** A secret parameter name in random case, with random characters percent-encoded. */
const secretName = fc
  .tuple(fc.constantFrom(...SECRET_NAMES), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }))
  .map(([name, upper, encode]) =>
    Array.from(name)
      .map((char, index) => {
        const cased = upper[index] === true ? char.toUpperCase() : char;
        return encode[index] === true ? `%${cased.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : cased;
      })
      .join(''),
  );

describe('redactUrl: properties', () => {
  it('never prints a percent-encoded user name or password (any characters)', () => {
    fc.assert(
      fc.property(secretText(nasty), secretText(nasty), fc.constantFrom('https:', 'http:', 'HTTPS:', ''), (user, password, scheme) => {
        expectHidden(([u = '', p = '']) => `${scheme}//${encodeURIComponent(u)}:${encodeURIComponent(p)}@${HOST}${PATH}`, [user, password]);
      }),
      { numRuns: RUNS },
    );
  });

  it('never prints a raw password holding @, :, % or unicode, even when the host is unparseable', () => {
    fc.assert(
      fc.property(rawPassword, fc.constantFrom(HOST, 'bucket.obs.example.com:8443', '[::1]:8080', 'bad host', `${HOST}:99999`), (password, host) => {
        expectHidden(([p = '']) => `https://AKIDEXAMPLE:${p}@${host}${PATH}?x=1`, [password]);
        expect(redactUrl(`https://AKIDEXAMPLE:${password}@${host}${PATH}?x=1`)).not.toContain('AKIDEXAMPLE');
      }),
      { numRuns: RUNS },
    );
  });

  it('never prints a secret query value, whatever the name spelling, position or repetition', () => {
    fc.assert(
      fc.property(
        secretName,
        secretText(nasty),
        fc.array(fc.constantFrom('versionId=v1', 'x-obs-date=d', 'acl', 'a=', 'uploads'), { maxLength: 3 }),
        fc.nat(3),
        fc.boolean(),
        fc.constantFrom(`https://${HOST}${PATH}`, PATH, 'dir/object.bin', `//${HOST}${PATH}`, `https://${HOST}:99999${PATH}`),
        (name, value, others, at, repeat, prefix) => {
          const build = ([v = '']: readonly string[]): string => {
            const pair = `${name}=${encodeURIComponent(v)}`;
            const pairs: string[] = [...others];
            pairs.splice(Math.min(at, pairs.length), 0, pair);
            if (repeat) pairs.push(pair);
            return `${prefix}?${pairs.join('&')}#${pair}`;
          };
          expectHidden(build, [value]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('accepts every spelling of a secret name the generator makes', () => {
    fc.assert(
      fc.property(secretName, (name) => {
        expect(isSecretQueryName(name)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('never throws and always returns a string, for any text or URL', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.webUrl({ withQueryParameters: true, withFragments: true })), (input) => {
        expect(typeof redactUrl(input)).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });

  it('leaves URLs without secrets readable: host, path and ordinary params survive', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), (input) => {
        const parsed = new URL(input);
        const output = new URL(redactUrl(input));
        expect([output.host, output.pathname]).toEqual([parsed.host, parsed.pathname]);
        for (const [name, value] of parsed.searchParams) {
          if (!isSecretQueryName(name) && !name.includes(';') && !value.includes(';')) expect(output.searchParams.getAll(name)).toContain(value);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
