/**
 * What trying the package as a new user found (issue: secrets never reach a
 * log): printing errors and event payloads, messages that say why, streamed
 * error bodies on the fetch adapter, `sign: false`, OBS ids, the `once`
 * bookkeeping and the sign hook's request number. Runs on both adapters.
 */
import { describe, expect, it } from '@jest/globals';
import axios, { CanceledError, type InternalAxiosRequestConfig } from 'axios';
import { OBS_ERROR_CODES, type RetryEvent, type SignContext } from '../../src/index.js';
import { leaks } from '../support/printed-forms.js';
import { FAST, nextEvent, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';

const AUTH = 'OBS AKEXAMPLE:SIGNATUREVALUE0123456789abcdef=';
const TOKEN = 'SECURITYTOKENVALUE-abcdef0123456789';
const QUERY_SIGNATURE = 'QUERYSIGNATUREVALUE0123456789';
const PASSWORD = 'pa55w0rd-SECRET-value';
const SECRETS = [AUTH, 'SIGNATUREVALUE0123456789', TOKEN, QUERY_SIGNATURE, PASSWORD, Buffer.from(`user:${PASSWORD}`).toString('base64')];

/** A sign hook that sets a header signature and a security token, as real signers do. */
function signWithSecrets(config: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  config.headers.set('Authorization', AUTH);
  config.headers.set('x-obs-security-token', TOKEN);
  return config;
}

describe('printing an error or an event payload shows no secret, down the cause chain', () => {
  const cases = [
    ['a final NetworkError (reset)', { reset: 'before-head' } as const, 'NetworkError'],
    ['a final Timeout', { hang: true } as const, 'Timeout'],
    ['a final SlowDown', { error: 'SlowDown' }, 'SlowDown'],
    ['a NoSuchKey fail-fast', { error: 'NoSuchKey' }, 'NoSuchKey'],
  ] as const;
  for (const [name, step, code] of cases) {
    it(`${name}: String, JSON, util.inspect (default and deep), %O, console.error, pino`, async () => {
      const server = await startServer();
      const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 }, sign: signWithSecrets }, { timeout: 300 });
      server.enqueue(step);
      const error = await obsRejection(
        client.get(`/photos/a?Signature=${QUERY_SIGNATURE}`, { auth: { username: 'user', password: PASSWORD } }),
      );
      expect(error.obsCode).toBe(code);
      expect(leaks(error, SECRETS)).toEqual([]);
      // The configs stay the real ones: the call's (re-sendable through the client, which re-signs)
      // and, down the cause, the signed attempt's.
      expect(error.config?.auth?.password).toBe(PASSWORD);
      expect(String(error.config?.url)).toContain(QUERY_SIGNATURE);
      const cause = error.cause as { config?: InternalAxiosRequestConfig } | undefined;
      if (code === 'NetworkError' || code === 'Timeout') expect(cause?.config?.headers.get('x-obs-security-token')).toBe(TOKEN);
    });
  }

  it('the error of a retry event (logged by a listener) shows no secret', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, sign: signWithSecrets }, { timeout: 300 });
    const retries: RetryEvent[] = [];
    handle.on('retry', (event) => retries.push(event));
    server.enqueue({ reset: 'before-head' }, { hang: true }, { error: 'InternalError' });
    // The fourth request reaches the store, which refuses a request signed twice (header and query).
    await expect(client.get(`/photos/a?Signature=${QUERY_SIGNATURE}`)).rejects.toMatchObject({ obsCode: 'InvalidArgument', action: 'fail', attempts: 4 });
    expect(retries.map((event) => event.error.obsCode)).toEqual(['NetworkError', 'Timeout', 'InternalError']);
    for (const event of retries) expect(leaks(event, SECRETS)).toEqual([]);
  });
});

describe('messages say why and where', () => {
  it('a NetworkError names the transport reason and the host of a baseURL + relative call', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 } });
    server.enqueue({ reset: 'before-head' });
    const error = await obsRejection(client.get('/photos/a'));
    expect(error.obsCode).toBe('NetworkError');
    expect(error.message).toMatch(/ECONNRESET|other side closed|socket/i);
    expect(error.message).not.toMatch(/Request failed\./);
    expect(error.message).toContain(`GET 127.0.0.1:${server.port}/photos/a`);
  });

  it('a Timeout names the timeout and the host', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { retries: 0 } }, { timeout: 200 });
    server.enqueue({ hang: true });
    const error = await obsRejection(client.get('photos/a'));
    expect(error.obsCode).toBe('Timeout');
    expect(error.message).toContain('timeout of 200ms exceeded');
    expect(error.message).toContain(`127.0.0.1:${server.port}/photos/a`);
  });

  it('a refused connection names ECONNREFUSED', async () => {
    const server = await startServer();
    const url = server.url;
    await server.close();
    const { client } = policyClient(url, { ...FAST, retry: { retries: 0 }, breaker: false });
    const error = await obsRejection(client.get('/photos/a'));
    expect(error.obsCode).toBe('NetworkError');
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe("responseType 'stream': the error body is read on both adapters", () => {
  it('retries SlowDown by its code, then hands back the object stream', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url);
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    const response = await client.get('/photos/a.txt', { responseType: 'stream' });
    expect(response.status).toBe(200);
    expect(events.map(([name, payload]) => [name, (payload as RetryEvent).error.obsCode])).toEqual([['retry', 'SlowDown']]);
  });

  it('fails fast on NoSuchKey with its code and hint', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const error = await obsRejection(client.get('/photos/missing', { responseType: 'stream' }));
    expect([error.obsCode, error.status, error.action]).toEqual(['NoSuchKey', 404, 'fail']);
    expect(error.hint).toBe(OBS_ERROR_CODES.find((row) => row.code === 'NoSuchKey')?.solution);
    expect(server.requests).toHaveLength(1);
  });
});

describe('sign: false', () => {
  it('sends a presigned URL unsigned on a client that signs everything else', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const signed: string[] = [];
    const { client } = policyClient(server.url, {
      ...FAST,
      sign: (config) => {
        signed.push(String(config.url));
        return signWithSecrets(config);
      },
    });
    const presigned = `/photos/a.txt?AccessKeyId=AK&Expires=9999999999&Signature=${QUERY_SIGNATURE}`;
    // Signed twice (header and query): OBS refuses it.
    const refused = await obsRejection(client.get(presigned));
    expect(refused.obsCode).toBe('InvalidArgument');
    const response = await client.get(presigned, { obs: { sign: false } });
    expect(response.data).toBe('A');
    expect(signed).toHaveLength(1);
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('is validated: anything but a function or false is refused at the call', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    await expect(client.get('/photos/a', { obs: { sign: true as unknown as false } })).rejects.toThrow(/"obs.sign" must be a function or false/);
  });
});

describe('OBS ids and codes as sent', () => {
  it('hostId is the body <HostId>, id2 the x-obs-id-2 header (they differ on OBS)', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const error = await obsRejection(client.get('/photos/missing'));
    const body = String(error.response?.data);
    const header = error.response?.headers['x-obs-id-2'] as string;
    expect(body).toContain(`<HostId>${String(error.hostId)}</HostId>`);
    expect(error.id2).toBe(header);
    expect(error.hostId).not.toBe(error.id2);
    expect(error.requestId).toBe(/<RequestId>([^<]+)<\/RequestId>/.exec(body)?.[1]);
  });

  it('a HEAD error (no body) takes hostId from the header', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    const error = await obsRejection(client.head('/photos/missing'));
    expect(error.obsCode).toBe('NoSuchKey');
    expect(error.hostId).toBe(error.response?.headers['x-obs-id-2']);
    expect(error.id2).toBe(error.hostId);
  });

  it('reports a code as sent, trimmed, even when it is not an identifier', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url);
    server.enqueue({ error: '  IncorrectNumberOfFilesInPost Request ', status: 400 });
    const error = await obsRejection(client.post('/photos/form', 'x'));
    expect([error.obsCode, error.status, error.action]).toEqual(['IncorrectNumberOfFilesInPost Request', 400, 'fail']);
  });
});

describe('handle.once / off', () => {
  it('off(a, l) after once(a, l) and once(b, l) cancels only the wait on a', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 1 } });
    const seen: string[] = [];
    const listener = (event: { reason?: string; attempt?: number }): void => {
      seen.push(event.reason !== undefined ? 'giveUp' : 'retry');
    };
    handle.once('retry', listener);
    handle.once('giveUp', listener);
    handle.off('retry', listener);
    server.enqueue({ error: 'InternalError', times: 2 });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'InternalError', attempts: 2 });
    expect(seen).toEqual(['giveUp']);
  });
});

describe('the sign hook is told the request number', () => {
  it('requestNumber counts every request of the call; attempt is its deprecated alias', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const contexts: SignContext[] = [];
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      sign: (config, context) => {
        contexts.push({ ...context });
        return config;
      },
    });
    const retries: number[] = [];
    handle.on('retry', (event) => retries.push(event.attempt));
    server.enqueue({ error: 'SlowDown' }, { error: 'InternalError' });
    await client.get('/photos/a.txt');
    expect(contexts.map((c) => c.requestNumber)).toEqual([1, 2, 3]);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias must keep working
    expect(contexts.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(retries).toEqual([1, 2]);
  });
});

describe('a CancelToken ends a backoff wait at once', () => {
  it('rejects with CanceledError during a 60 s wait, with no second request', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, { retry: { minDelayMs: 60_000, maxDelayMs: 60_000 }, random: () => 0.999 });
    const source = axios.CancelToken.source();
    server.enqueue({ error: 'SlowDown' });
    const call = client.get('/photos/a', { cancelToken: source.token });
    await nextEvent(handle, 'retry');
    source.cancel('user gave up');
    await expect(call).rejects.toBeInstanceOf(CanceledError);
    expect(server.requests).toHaveLength(1);
  });
});
