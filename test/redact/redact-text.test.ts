/**
 * redactText: messages and stacks of the errors under an ObsError lose every
 * credential they quote, and keep the rest as written.
 */
import { describe, expect, it } from '@jest/globals';
import { REDACTED } from '../../src/redact/redacted.js';
import { redactText } from '../../src/redact/redact-text.js';

const R = REDACTED;

describe('redactText', () => {
  it.each<[label: string, input: string, expected: string]>([
    ['a presigned URL in a message', 'connect failed: https://AK:SK@h.example.com/k?X-Obs-Signature=abc&x=1 refused', `connect failed: https://h.example.com/k?X-Obs-Signature=${R}&x=1 refused`],
    ['a bare query pair', 'bad request Signature=abc; AccessKeyId=AK other=1', `bad request Signature=${R}; AccessKeyId=${R} other=1`],
    ['a header line', 'GET /k HTTP/1.1\r\nAuthorization: OBS AK:sig\r\nx-obs-security-token: tok\r\nHost: h', `GET /k HTTP/1.1\r\nAuthorization: ${R}\r\nx-obs-security-token: ${R}\r\nHost: h`],
    ['a header after another colon on the line', 'Error: Authorization: OBS AK:sig', `Error: Authorization: ${R}`],
    ['JSON', '{"authorization":"OBS AK:sig","cookie":"a=b","accept":"*/*"}', `{"authorization":"${R}","cookie":"${R}","accept":"*/*"}`],
    ['a stack frame stays as written', 'Error: x\n    at f (file:///work/a.js:10:5)', 'Error: x\n    at f (file:///work/a.js:10:5)'],
    ['plain text stays', 'read ECONNRESET', 'read ECONNRESET'],
    ['already redacted text is unchanged', `Signature=${R} Authorization: ${R}`, `Signature=${R} Authorization: ${R}`],
  ])('%s', (_label, input, expected) => {
    expect(redactText(input)).toBe(expected);
  });
});
