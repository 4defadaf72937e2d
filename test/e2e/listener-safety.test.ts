/**
 * Listeners never break a call: on every event type, a listener that throws,
 * an async listener that rejects (given to `on` and to `once`) and a listener
 * returning a thenable whose `then` throws leave each call's outcome as it is
 * (retried, redirected, failed fast, given up, refused by an open breaker, the
 * breaker half-opening and closing), and leave no unhandled rejection.
 *
 * Jest fails a test in which a rejection goes unhandled (and it keeps
 * `process.on('unhandledRejection')` listeners of a test from seeing one), so
 * the in-process cases rely on that; the reproduction from the issue also runs
 * in a child process of its own, where an unhandled rejection would exit with
 * code 1 and an explicit collector counts them.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { CircuitOpenError, type ObsPolicyEventName, type ObsPolicyHandle } from '../../src/index.js';
import { ADAPTER, FAST, nextEvent, obsRejection, policyClient, rejectionOf, startServer } from '../support/harness.js';
import { EVENT_NAMES } from '../support/event-names.js';

/**
 * Puts four broken listeners on every event of `handle`: one that throws, an async one that
 * rejects (on `on` and on `once`), one whose returned thenable throws from `then`.
 * @returns how many times each event reached them
 */
function breakListeners(handle: ObsPolicyHandle): Map<ObsPolicyEventName, number> {
  const delivered = new Map<ObsPolicyEventName, number>();
  for (const name of EVENT_NAMES) {
    const count = (): void => {
      delivered.set(name, (delivered.get(name) ?? 0) + 1);
    };
    handle.on(name, () => {
      count();
      throw new Error(`sync ${name} listener bug`);
    });
    // eslint-disable-next-line @typescript-eslint/require-await -- an async listener that throws is the case under test
    handle.on(name, async () => {
      throw new Error(`async ${name} listener bug`);
    });
     
    handle.once(name, () => Promise.reject(new Error(`async once ${name} listener bug`)));
    const hostile = {
      then() {
        throw new Error(`then of ${name} bug`);
      },
    };
    handle.on(name, () => hostile as unknown as undefined);
  }
  return delivered;
}

/** Lets pending promise jobs and a few macrotasks run: an unhandled rejection is reported by then. */
async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
}

describe('listeners that throw or reject never break a call', () => {
  it('a retried, a redirected, a failing-fast and a giving-up call end as without listeners', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, breaker: false });
    const delivered = breakListeners(handle);
    // Retried: one SlowDown (with a Retry-After, which also changes the endpoint's pace), then the object.
    server.enqueue({ error: 'SlowDown', retryAfter: 1 });
    const retried = await client.get<string>('/photos/a.txt');
    expect([retried.status, retried.data]).toEqual([200, 'A']);
    // Redirected: a 307 to the same server.
    server.enqueue({ redirect: 307, location: `${server.url}/photos/a.txt` });
    expect((await client.get<string>('/photos/a.txt?moved')).data).toBe('A');
    // Failed fast.
    expect(await obsRejection(client.get('/photos/missing'))).toMatchObject({ obsCode: 'NoSuchKey', status: 404, action: 'fail', attempts: 1 });
    // Given up.
    server.enqueue({ error: 'InternalError', times: 2 });
    expect(await obsRejection(client.get('/photos/a.txt', { obs: { retry: { retries: 1 } } }))).toMatchObject({
      obsCode: 'InternalError',
      attempts: 2,
      reason: 'retries exhausted (1)',
    });
    await flush();
    expect(Object.fromEntries(delivered)).toEqual({ retry: 2, redirect: 1, failFast: 1, giveUp: 1, rateChange: expect.any(Number) as unknown });
  });

  it('a call refused by an open breaker, and the breaker opening, half-opening and closing, end as without listeners', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, {
      ...FAST,
      breaker: { consecutiveFailures: 1, resetTimeoutMs: 50 },
    });
    const delivered = breakListeners(handle);
    server.enqueue({ error: 'InternalError' });
    expect(await obsRejection(client.get('/photos/a.txt'))).toMatchObject({ obsCode: 'InternalError', attempts: 1 });
    const halfOpen = nextEvent(handle, 'circuitHalfOpen');
    const refused = await rejectionOf(client.get('/photos/a.txt'));
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect(refused).toMatchObject({ obsCode: 'CircuitOpen', attempts: 0 });
    await halfOpen;
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    await flush();
    expect(Object.fromEntries(delivered)).toMatchObject({ circuitOpen: 1, circuitReject: 1, circuitHalfOpen: 1, circuitClose: 1 });
  });

  it('a clock-skew correction ends as without listeners', async () => {
    const server = await startServer();
    server.putObject('photos', 'a.txt', 'A');
    const { client, handle } = policyClient(server.url, { ...FAST, sign: (config) => config });
    const delivered = breakListeners(handle);
    server.enqueue({ error: 'RequestTimeTooSkewed', headers: { date: new Date(Date.now() + 20 * 60_000).toUTCString() } });
    expect((await client.get<string>('/photos/a.txt')).data).toBe('A');
    await flush();
    expect(delivered.get('clockSkew')).toBe(1);
  });
});

/** Runs the reproduction fixture in a child process on this project's adapter. */
function runReproduction(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const fixture = path.join(__dirname, 'fixtures', 'async-listener-rejects.ts');
  const root = path.join(__dirname, '..', '..');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, ...args], {
      cwd: root,
      env: { ...process.env, OBS_TEST_ADAPTER: ADAPTER },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the reproduction, in a process of its own', () => {
  it('handle.on("retry", async () => { throw … }) plus one 503 SlowDown: the process is not killed', async () => {
    const { code, stdout, stderr } = await runReproduction();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ status: 200, data: 'A', requests: 2, unhandled: 0 });
  });

  it('with an unhandledRejection collector registered, it sees none', async () => {
    const { code, stdout } = await runReproduction('--collect');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ status: 200, data: 'A', requests: 2, unhandled: 0 });
  });
});
