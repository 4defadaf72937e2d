import { describe, expect, it } from '@jest/globals';
import type { ObsError } from '../../src/index.js';
import { FAST, policyClient, recordEvents, settle, startServer } from './harness.js';

describe('per-code overrides', () => {
  it('changes the action of one code through policies', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, policies: { NoSuchKey: { action: 'retry', retries: 2 }, SlowDown: 'fail' } });
    await settle(client.get('/photos/missing'));
    expect(server.requests).toHaveLength(3);
    server.enqueue({ error: 'SlowDown' });
    const result = await settle(client.get('/photos/missing'));
    expect(server.requests).toHaveLength(4);
    if (!result.ok) expect((result.error as ObsError).action).toBe('fail');
  });

  it('bends the table for one request under config.obs, deep-merged over the handle', async () => {
    const server = await startServer();
    const { client } = policyClient(server.url, { ...FAST, retry: { ...FAST.retry, retries: 3 } });
    server.enqueue({ error: 'SlowDown', times: 10 });
    await settle(client.get('/photos/a', { obs: { retry: { retries: 1 } } }));
    expect(server.requests).toHaveLength(2);
    await settle(client.get('/photos/a', { obs: { policies: { SlowDown: 'fail' } } }));
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
    const result = await settle(client.get('/photos/a?AccessKeyId=AK&Signature=SIG-SECRET-1&x-obs-security-token=TOKEN-SECRET-2'));
    expect(result.ok).toBe(false);
    const texts = events.map(([, payload]) => JSON.stringify(payload));
    if (!result.ok) texts.push(JSON.stringify(result.error), (result.error as Error).message, String((result.error as Error).stack));
    expect(texts.length).toBeGreaterThan(3);
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
    const result = await settle(client.get('/photos/a'));
    expect(result.ok).toBe(false);
    expect(server.requests).toHaveLength(2);
  });
});
