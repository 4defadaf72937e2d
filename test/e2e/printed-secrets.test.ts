/**
 * Every printed form of a rejection shows no credential, hidden properties and
 * the whole `cause` chain included: a presigned-style URL, signed headers, a
 * cookie and `auth` go to the local OBS server, and the error is printed every
 * way a user or a logger prints one. Server text (`<Code>`, `<Message>`) cannot
 * forge a log line. Runs on both adapters.
 */
import { describe, expect, it } from '@jest/globals';
import type { InternalAxiosRequestConfig } from 'axios';
import util from 'node:util';
import { CircuitOpenError, type ObsError, type ObsPolicyOptions, type RetryEvent } from '../../src/index.js';
import { FAST, obsRejection, policyClient, startServer } from '../support/harness.js';
import { leaks } from '../support/printed-forms.js';
import { reachableStrings } from '../support/reachable-strings.js';

const AUTH = 'OBS AKHEADERVALUE:HEADERSIGNATURE0123456789abcdef=';
const HEADER_TOKEN = 'HEADERSECURITYTOKEN-0123456789';
const COOKIE = 'session=COOKIEVALUE-0123456789';
const PROXY_AUTH = 'Basic PROXYAUTHVALUE0123456789';
const PASSWORD = 'AUTHPASSWORD-0123456789';
const QUERY_SIGNATURE = 'QUERYSIGNATURE0123456789';
const QUERY_AK = 'QUERYACCESSKEY0123456789';
const QUERY_TOKEN = 'QUERYSECURITYTOKEN0123456789';
const QUERY_CREDENTIAL = 'QUERYCREDENTIAL0123456789';
const SESSION_TOKEN = 'QUERYSESSIONTOKEN0123456789';
const SET_COOKIE = 'RESPONSECOOKIE0123456789';
const URL_PASSWORD = 'URLPASSWORD0123456789';
const SECRETS = [
  'HEADERSIGNATURE0123456789',
  HEADER_TOKEN,
  'COOKIEVALUE-0123456789',
  'PROXYAUTHVALUE0123456789',
  PASSWORD,
  Buffer.from(`user:${PASSWORD}`).toString('base64'),
  QUERY_SIGNATURE,
  QUERY_AK,
  QUERY_TOKEN,
  QUERY_CREDENTIAL,
  SESSION_TOKEN,
  SET_COOKIE,
  URL_PASSWORD,
];

/** A presigned-style path: OBS query auth, a security token and look-alike names of other signers. */
const PRESIGNED = `/photos/a.jpg?X-Obs-Signature=${QUERY_SIGNATURE}&AccessKeyId=${QUERY_AK}&x-obs-security-token=${QUERY_TOKEN}&X%2DAmz%2DCredential=${QUERY_CREDENTIAL}&sessionToken=${SESSION_TOKEN}&versionId=v1`;

/** A sign hook that sets a header signature and a security token, as the real signers do. */
function signWithSecrets(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  config.headers.set('Authorization', AUTH);
  config.headers.set('x-obs-security-token', HEADER_TOKEN);
  return config;
}

const CALL = { auth: { username: 'user', password: PASSWORD }, headers: { Cookie: COOKIE, 'Proxy-Authorization': PROXY_AUTH } };

/** Every printed form of `error` that shows one of {@link SECRETS}, by form and secret. */
function printedLeaks(error: unknown): string[] {
  const forms: Record<string, () => string> = {
    message: () => (error as Error).message,
    stack: () => String((error as Error).stack),
    toJSON: () => JSON.stringify((error as { toJSON: () => unknown }).toJSON()),
    inspectHidden: () => util.inspect(error, { showHidden: true, depth: Infinity }),
    inspectGetters: () => util.inspect(error, { showHidden: true, depth: Infinity, getters: true }),
    formatLowerO: () => util.format('%o', error),
    ownPropertyWalk: () => reachableStrings(error).join('\n'),
  };
  const found = leaks(error, SECRETS);
  for (const [name, print] of Object.entries(forms)) {
    const text = print();
    for (const secret of SECRETS) if (text.includes(secret)) found.push(`${name} shows ${secret}`);
  }
  return found;
}

/** The useful fields stay printable: code, status, method, host and path, and the request id. */
function expectUsefulPrint(error: ObsError): void {
  const printed = util.inspect(error, { showHidden: true, depth: Infinity });
  expect(printed).toContain(error.obsCode);
  expect(printed).toContain('/photos/a.jpg');
  const json = JSON.stringify(error);
  expect(json).toContain('versionId=v1');
  expect(json).toContain('[REDACTED]');
  if (error.requestId !== undefined) expect(printed).toContain(error.requestId);
}

describe('no printed form of a rejection shows a credential', () => {
  const cases = [
    [
      'a 403 AccessDenied with a Set-Cookie and a Location quoting the presigned URL',
      { error: 'AccessDenied', headers: { 'set-cookie': `sid=${SET_COOKIE}; HttpOnly`, location: `http://127.0.0.1${PRESIGNED}` } },
      'AccessDenied',
    ],
    ['a 404 NoSuchKey', { error: 'NoSuchKey' }, 'NoSuchKey'],
    ['a NetworkError (reset)', { reset: 'before-head' } as const, 'NetworkError'],
    ['a Timeout', { hang: true } as const, 'Timeout'],
  ] as const;
  for (const [name, step, code] of cases) {
    it(`${name}: String, message, stack, JSON, toJSON, inspect with hidden properties, %o, %O, console.error, pino, an own-property walk`, async () => {
      const server = await startServer();
      const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, sign: signWithSecrets }, { timeout: 300 });
      server.enqueue(step);
      const error = await obsRejection(client.get(PRESIGNED, CALL));
      expect(error.obsCode).toBe(code);
      expect(printedLeaks(error)).toEqual([]);
      expectUsefulPrint(error);
      // The live objects stay readable for code that asks for them.
      expect(error.config?.auth?.password).toBe(PASSWORD);
      expect(String(error.config?.url)).toContain(QUERY_SIGNATURE);
      if (code === 'AccessDenied') expect(String(error.response?.headers['set-cookie'])).toContain(SET_COOKIE);
    });
  }

  it('a call to a URL with a userinfo password: the password is in no printed form', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, sign: signWithSecrets });
    server.enqueue({ error: 'NoSuchKey' });
    const withUserinfo = `http://user:${URL_PASSWORD}@127.0.0.1:${String(server.port)}${PRESIGNED}`;
    const error = await obsRejection(client.get(withUserinfo, CALL));
    expect(error.obsCode).toBe('NoSuchKey');
    expect(printedLeaks(error)).toEqual([]);
    expect(String(error.config?.url)).toContain(URL_PASSWORD);
  });

  it('the error of a retry event, and a CircuitOpenError, print no credential either', async () => {
    const server = await startServer();
    const options: ObsPolicyOptions = {
      ...FAST,
      retry: { ...FAST.retry, retries: 1 },
      breaker: { consecutiveFailures: 2, volumeThreshold: 100, resetTimeoutMs: 60_000 },
      sign: signWithSecrets,
    };
    const { client, handle } = policyClient(server.url, options, { timeout: 300 });
    const retries: RetryEvent[] = [];
    handle.on('retry', (event) => retries.push(event));
    server.enqueue({ reset: 'before-head' }, { error: 'InternalError' });
    const last = await obsRejection(client.get(PRESIGNED, CALL));
    expect([retries.map((event) => event.error.obsCode), last.obsCode]).toEqual([['NetworkError'], 'InternalError']);
    const refused = await obsRejection(client.get(PRESIGNED, CALL));
    expect(refused).toBeInstanceOf(CircuitOpenError);
    for (const error of [...retries.map((event) => event.error), last, refused]) expect(printedLeaks(error)).toEqual([]);
    for (const event of retries) expect(leaks(event, SECRETS)).toEqual([]);
  });
});

describe('server text cannot forge a log line', () => {
  const forged = 'FORGED 2024-01-01T00:00:00Z INFO admin logged in';
  it('escapes newlines and ANSI escapes of <Code> and <Message> in the message, the stack and every field', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 } });
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      // A code may not hold a line break (parseObsError refuses it), but other controls pass.
      `<Error><Code>Evil\u001b[31mCode\u009b2J\u2028${forged}</Code><Message>Denied.\r\n${forged}\u001b[0m\n${forged}\u2029x</Message>`,
      '<RequestId>rid-1</RequestId><HostId>host\u001b[2J</HostId></Error>',
    ].join('');
    server.enqueue({ status: 403, body, headers: { 'content-type': 'application/xml' } });
    const error = await obsRejection(client.get('/photos/a.jpg'));
    const printed = [
      error.message,
      String(error.stack),
      String(error),
      JSON.stringify(error),
      util.inspect(error, { showHidden: true, depth: Infinity }),
      error.obsCode,
      String(error.obsMessage),
      String(error.hostId),
    ];
    for (const text of printed) {
      // eslint-disable-next-line no-control-regex -- the point is that none is left
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/);
      // No line of the output starts with the server's text (inspect quotes strings: `'FORGED`).
      expect(text).not.toMatch(/^\s*['"`]?FORGED/m);
    }
    expect(error.obsCode).toBe(`Evil\\x1b[31mCode\\x9b2J\\u2028${forged}`);
    // XML reads `\r\n` as `\n`.
    expect(error.message).toContain(`OBS ${error.obsCode} (403): Denied.\\n${forged}\\x1b[0m\\n${forged}\\u2029x GET `);
    expect(error.hostId).toBe('host\\x1b[2J');
    for (const single of [error.message, String(error), JSON.stringify(error), error.obsCode, String(error.obsMessage)]) expect(single).not.toContain('\n');
    expect(String(error.stack).split('\n')[0]).toBe(`ObsError: ${error.message}`);
  });
});
