/**
 * The credentials cache on a scripted clock: a provider's answer is kept until
 * shortly before its expiration, one provider call serves every waiting
 * request, a failure is not kept, garbage is refused with a message naming the
 * field and never the value, and a refusal by the server renews once however
 * many requests were refused.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CredentialsCache, DEFAULT_REFRESH_BEFORE_EXPIRY_MS } from '../../src/sign/credentials-cache.js';
import { checkCredentials, type SigningCredentials } from '../../src/sign/credentials.js';

const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A provider that hands out numbered temporary credentials expiring `lifetimeMs` after the scripted clock, and counts its calls. */
function issuer(clock: { now: number }, lifetimeMs = HOUR): { provider: () => Promise<SigningCredentials>; calls: () => number } {
  let calls = 0;
  return {
    provider: () => {
      calls++;
      return Promise.resolve({ accessKeyId: `AK${String(calls)}`, secretAccessKey: `SK${String(calls)}`, securityToken: `TOKEN${String(calls)}`, expiration: new Date(clock.now + lifetimeMs) });
    },
    calls: () => calls,
  };
}

describe('CredentialsCache', () => {
  it('keeps the answer until refreshBeforeExpiryMs before its expiration, then asks again', async () => {
    const clock = { now: T0 };
    const { provider, calls } = issuer(clock);
    const cache = new CredentialsCache(provider, 'obsSigner', DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK1');
    clock.now = T0 + HOUR - 5 * MINUTE - 1;
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK1');
    clock.now = T0 + HOUR - 5 * MINUTE;
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK2');
    expect(calls()).toBe(2);
  });

  it('refreshes short-lived credentials at half their lifetime, not on every request', async () => {
    const clock = { now: T0 };
    const { provider, calls } = issuer(clock, 4 * MINUTE);
    const cache = new CredentialsCache(provider, 'obsSigner', DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
    await cache.get(clock.now);
    clock.now = T0 + 2 * MINUTE - 1;
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK1');
    clock.now = T0 + 2 * MINUTE;
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK2');
    expect(calls()).toBe(2);
  });

  it('keeps credentials without an expiration for good', async () => {
    let calls = 0;
    const cache = new CredentialsCache(() => ({ accessKeyId: `AK${String(++calls)}`, secretAccessKey: 'SK' }), 'obsSigner', 0);
    await cache.get(T0);
    expect((await cache.get(T0 + 1000 * HOUR)).accessKeyId).toBe('AK1');
    expect(calls).toBe(1);
  });

  it('makes one provider call for 64 requests that wait at once, at the start and at each refresh', async () => {
    const clock = { now: T0 };
    const { provider, calls } = issuer(clock);
    const cache = new CredentialsCache(provider, 'sigV4Signer', DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
    for (let expiry = 0; expiry < 3; expiry++) {
      const keys = await Promise.all(Array.from({ length: 64 }, () => cache.get(clock.now)));
      expect(new Set(keys.map((k) => k.accessKeyId))).toEqual(new Set([`AK${String(expiry + 1)}`]));
      expect(calls()).toBe(expiry + 1);
      clock.now += HOUR;
    }
  });

  it('does not keep a failure: the requests waiting on it reject, the next request asks again', async () => {
    let fail = true;
    let calls = 0;
    const cache = new CredentialsCache(
      () => {
        calls++;
        return fail ? Promise.reject(new Error('token service down: secret=hunter2')) : Promise.resolve({ accessKeyId: 'AK', secretAccessKey: 'SK' });
      },
      'obsSigner',
      0,
    );
    const waiting = await Promise.allSettled(Array.from({ length: 8 }, () => cache.get(T0)));
    expect(calls).toBe(1);
    for (const result of waiting) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as Error;
      expect(error.message).toBe('obsSigner: the credentials provider failed');
      expect((error.cause as Error).message).toContain('token service down');
    }
    fail = false;
    expect((await cache.get(T0)).accessKeyId).toBe('AK');
    expect(calls).toBe(2);
  });

  it('a provider that throws at once is a rejection too', async () => {
    const cache = new CredentialsCache(() => {
      throw new Error('no profile');
    }, 'obsSigner', 0);
    await expect(cache.get(T0)).rejects.toThrow('obsSigner: the credentials provider failed');
  });

  it('signs on with credentials that have not expired while the provider fails in the refresh window', async () => {
    const clock = { now: T0 };
    let down = false;
    let calls = 0;
    const cache = new CredentialsCache(
      () => {
        calls++;
        return down ? Promise.reject(new Error('down')) : Promise.resolve({ accessKeyId: `AK${String(calls)}`, secretAccessKey: 'SK', expiration: clock.now + HOUR });
      },
      'obsSigner',
      DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
    );
    await cache.get(clock.now);
    down = true;
    clock.now = T0 + HOUR - MINUTE;
    expect((await cache.get(clock.now)).accessKeyId).toBe('AK1');
    clock.now = T0 + HOUR;
    await expect(cache.get(clock.now)).rejects.toThrow('the credentials provider failed');
    expect(calls).toBe(3);
  });

  it('renews once for many requests refused with the same credentials, and again for newer ones refused', async () => {
    const clock = { now: T0 };
    const { provider, calls } = issuer(clock);
    const cache = new CredentialsCache(provider, 'obsSigner', DEFAULT_REFRESH_BEFORE_EXPIRY_MS);
    const first = await cache.get(clock.now);
    // 64 requests signed with `first` are refused; some renew while the call is under way, some after.
    const early = await Promise.all(Array.from({ length: 32 }, () => cache.renew(clock.now, first)));
    const late = await Promise.all(Array.from({ length: 32 }, () => cache.renew(clock.now, first)));
    expect(new Set([...early, ...late].map((k) => k.accessKeyId))).toEqual(new Set(['AK2']));
    expect(calls()).toBe(2);
    // The newer credentials are refused too (revoked): one more call.
    const second = early[0];
    expect((await cache.renew(clock.now, second)).accessKeyId).toBe('AK3');
    // Not knowing what was refused renews as well.
    expect((await cache.renew(clock.now, undefined)).accessKeyId).toBe('AK4');
    expect(calls()).toBe(4);
  });

  it('drops refused credentials when the renewal fails, so the next request asks again', async () => {
    let calls = 0;
    const cache = new CredentialsCache(
      () => (++calls === 2 ? Promise.reject(new Error('down')) : Promise.resolve({ accessKeyId: `AK${String(calls)}`, secretAccessKey: 'SK', expiration: T0 + HOUR })),
      'obsSigner',
      DEFAULT_REFRESH_BEFORE_EXPIRY_MS,
    );
    const refused = await cache.get(T0);
    await expect(cache.renew(T0, refused)).rejects.toThrow('the credentials provider failed');
    expect((await cache.get(T0)).accessKeyId).toBe('AK3');
  });

  it('refuses garbage from the provider with the field named, never a value, and keeps nothing', async () => {
    const answers: unknown[] = [
      undefined,
      'AK:SK',
      { accessKeyId: 'AK' },
      { accessKeyId: '  ', secretAccessKey: 'sk-value' },
      { accessKeyId: 'ak-value', secretAccessKey: 'sk-value', securityToken: 42 },
      { accessKeyId: 'ak-value', secretAccessKey: 'sk-value', expiration: 'soon' },
      { accessKeyId: 'ak-value', secretAccessKey: 'sk-value', expiration: Number.NaN },
      { accessKeyId: 'ak-value', secretAccessKey: 'sk-value', expiration: new Date('nope') },
    ];
    const messages: string[] = [];
    let next: unknown;
    const cache = new CredentialsCache(() => next as SigningCredentials, 'obsSigner', 0);
    for (const answer of answers) {
      next = answer;
      const error = await cache.get(T0).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      messages.push(error?.message ?? 'resolved');
    }
    expect(messages).toEqual([
      "obsSigner: the credentials provider's answer is not an object with accessKeyId and secretAccessKey",
      "obsSigner: the credentials provider's answer is not an object with accessKeyId and secretAccessKey",
      'obsSigner: the credentials provider\'s answer has no "secretAccessKey" (a non-empty string)',
      'obsSigner: the credentials provider\'s answer has no "accessKeyId" (a non-empty string)',
      'obsSigner: the credentials provider\'s answer has a "securityToken" that is not a non-empty string',
      'obsSigner: the credentials provider\'s answer has an "expiration" that is not a valid Date, ISO 8601 string or epoch ms',
      'obsSigner: the credentials provider\'s answer has an "expiration" that is not a valid Date, ISO 8601 string or epoch ms',
      'obsSigner: the credentials provider\'s answer has an "expiration" that is not a valid Date, ISO 8601 string or epoch ms',
    ]);
    expect(messages.join('\n')).not.toMatch(/ak-value|sk-value/);
  });
});

describe('checkCredentials', () => {
  it('reads an expiration given as a Date, an ISO 8601 string (IAM writes microseconds) or epoch ms as the same instant', () => {
    const ms = Date.UTC(2024, 4, 1, 12, 0, 0);
    for (const expiration of [new Date(ms), '2024-05-01T12:00:00Z', '2024-05-01T12:00:00.000000Z', ms]) {
      expect(checkCredentials({ accessKeyId: 'AK', secretAccessKey: 'SK', expiration }, 'obsSigner', 'provider').expiresAtMs).toBe(ms);
    }
  });

  it('never puts a value it was given into its message', () => {
    fc.assert(
      fc.property(fc.record({ accessKeyId: fc.anything(), secretAccessKey: fc.anything(), securityToken: fc.anything(), expiration: fc.anything() }, { requiredKeys: [] }), (answer) => {
        try {
          checkCredentials(answer, 'obsSigner', 'provider');
        } catch (error) {
          for (const value of Object.values(answer)) {
            if (typeof value === 'string' && value.length > 3) expect((error as Error).message).not.toContain(value);
          }
        }
      }),
    );
  });
});
