import { describe, expect, it } from '@jest/globals';
import { FAST, namesOf, obsRejection, policyClient, recordEvents, startServer } from '../support/harness.js';

describe('per-code overrides', () => {
  it('changes the action of one code through policies', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, policies: { NoSuchKey: { action: 'retry', retries: 2 }, SlowDown: 'fail' } });
    await expect(client.get('/photos/missing')).rejects.toMatchObject({ obsCode: 'NoSuchKey', action: 'retry', attempts: 3 });
    expect(server.requests).toHaveLength(3);
    server.enqueue({ error: 'SlowDown' });
    await expect(client.get('/photos/missing')).rejects.toMatchObject({ obsCode: 'SlowDown', action: 'fail', attempts: 1 });
    expect(server.requests).toHaveLength(4);
  });

  it('bends the table for one request under config.obs, deep-merged over the handle', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 3 } });
    server.enqueue({ error: 'SlowDown', times: 10 });
    await expect(client.get('/photos/a', { obs: { retry: { retries: 1 } } })).rejects.toMatchObject({ obsCode: 'SlowDown', action: 'retry', attempts: 2 });
    expect(server.requests).toHaveLength(2);
    await expect(client.get('/photos/a', { obs: { policies: { SlowDown: 'fail' } } })).rejects.toMatchObject({ obsCode: 'SlowDown', action: 'fail', attempts: 1 });
    expect(server.requests).toHaveLength(3);
  });
});

describe('events', () => {
  it('carries method and url, and a throwing listener never breaks the call', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', Buffer.from('A'));
    const { client, handle } = policyClient(server.url);
    handle.on('retry', () => {
      throw new Error('listener bug');
    });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' });
    expect((await client.get('/photos/a')).data).toBe('A');
    expect(events[0]?.[1]).toMatchObject({ method: 'GET', url: `${server.url}/photos/a`, attempt: 1 });
  });

  it('puts no secret in any payload or error: Authorization, security token, signature query values', async () => {
    const server = await startServer();
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      sign: (config) => {
        config.headers.set('Authorization', 'OBS AKEXAMPLE:SIGNATURE-SECRET');
        config.headers.set('x-obs-security-token', 'TOKEN-SECRET');
        return config;
      },
    });
    const events = recordEvents(handle);
    server.enqueue({ error: 'SlowDown' }, { redirect: 307, location: `${server.url}/photos/b?Signature=SIG-SECRET-2` }, { error: 'AccessDenied' });
    const error = await obsRejection(client.get('/photos/a?AccessKeyId=AK&Signature=SIG-SECRET-1&x-obs-security-token=TOKEN-SECRET-2'));
    expect([error.obsCode, error.attempts]).toEqual(['AccessDenied', 3]);
    expect(namesOf(events)).toEqual(['retry', 'redirect', 'failFast']);
    const texts = [...events.map(([, payload]) => JSON.stringify(payload)), JSON.stringify(error), error.message, String(error.stack)];
    for (const text of texts) expect(text).not.toMatch(/SECRET/);
  });
});

describe('clock skew', () => {
  it('on RequestTimeTooSkewed learns the server clock, re-signs and retries once', async () => {
    const server = await startServer();
    server.putObject('photos', 'a', Buffer.from('A'));
    const offsets: number[] = [];
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      sign: (config, context) => {
        offsets.push(context.clockOffsetMs);
        config.headers.set('x-obs-date', new Date(Date.now() + context.clockOffsetMs).toUTCString());
        return config;
      },
    });
    const events = recordEvents(handle);
    const serverNow = new Date(Date.now() + 20 * 60_000).toUTCString();
    server.enqueue({ error: 'RequestTimeTooSkewed', headers: { date: serverNow } });
    expect((await client.get('/photos/a')).data).toBe('A');
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeGreaterThan(18 * 60_000);
    expect(handle.clockOffsetMs).toBeGreaterThan(18 * 60_000);
    expect(events.map(([name]) => name)).toEqual(['clockSkew']);
  });

  it('fails fast when the skew answer repeats', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, sign: (config) => config });
    server.enqueue({ error: 'RequestTimeTooSkewed', times: 3, headers: { date: new Date(Date.now() + 3_600_000).toUTCString() } });
    await expect(client.get('/photos/a')).rejects.toMatchObject({ obsCode: 'RequestTimeTooSkewed', action: 'fail', attempts: 2, reason: 'policy: fail' });
    expect(server.requests).toHaveLength(2);
  });
});
