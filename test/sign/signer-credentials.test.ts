/**
 * Both signers' credential options on single configs: static keys flat or as
 * `credentials`, a provider's keys and token on the request, the checks made
 * when the signer is made, a provider failure as the hook's rejection, and
 * `context.refreshCredentials` renewing once for a call's refused keys.
 */
import { describe, expect, it } from '@jest/globals';
import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import { obsSigner, sigV4Signer, type CredentialsProvider, type SignContext, type SignHook, type SigningCredentials } from '../../src/sign/index.js';

const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;

/** The options both signers share. */
interface Options {
  credentials?: SigningCredentials | CredentialsProvider;
  accessKeyId?: string;
  secretAccessKey?: string;
  refreshBeforeExpiryMs?: number;
  now?: () => number;
}

const SIGNERS: [string, (options: Options) => SignHook, string][] = [
  ['obsSigner', (options) => obsSigner(options), 'x-obs-security-token'],
  ['sigV4Signer', (options) => sigV4Signer({ ...options, region: 'cn-north-4' }), 'x-amz-security-token'],
];

function context(over: Partial<SignContext> = {}): SignContext {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- the type still carries the old alias
  return { requestNumber: 1, attempt: 1, hops: 0, clockOffsetMs: 0, ...over };
}

function configOf(): InternalAxiosRequestConfig {
  return { method: 'get', url: 'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg', headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
}

/** The access key id an Authorization header names, for either scheme. */
function keyOf(config: InternalAxiosRequestConfig): string | undefined {
  const authorization = String(config.headers.get('Authorization'));
  return /^OBS ([^:]+):/.exec(authorization)?.[1] ?? /Credential=([^/]+)\//.exec(authorization)?.[1];
}

describe.each(SIGNERS)('%s credentials', (name, make, tokenHeader) => {
  it('takes static keys as `credentials` like the flat fields', async () => {
    const flat = await make({ accessKeyId: 'AKFLAT', secretAccessKey: 'SK', now: () => NOW })(configOf(), context());
    const nested = await make({ credentials: { accessKeyId: 'AKNESTED', secretAccessKey: 'SK', securityToken: 'TOKEN' }, now: () => NOW })(configOf(), context());
    expect([keyOf(flat), keyOf(nested), nested.headers.get(tokenHeader)]).toEqual(['AKFLAT', 'AKNESTED', 'TOKEN']);
  });

  it("signs with the provider's keys and token, and dates the request by its `now`", async () => {
    const config = await make({ credentials: () => Promise.resolve({ accessKeyId: 'AKTEMP', secretAccessKey: 'SK', securityToken: 'T1', expiration: NOW + HOUR }), now: () => NOW })(configOf(), context());
    expect([keyOf(config), config.headers.get(tokenHeader)]).toEqual(['AKTEMP', 'T1']);
    const date = String(config.headers.get(name === 'obsSigner' ? 'x-obs-date' : 'x-amz-date'));
    expect(date).toBe(name === 'obsSigner' ? new Date(NOW).toUTCString() : '20240501T120000Z');
  });

  it('refuses wrong options at once with a TypeError naming the field, never a value', () => {
    const provider = (): Promise<SigningCredentials> => Promise.resolve({ accessKeyId: 'AK', secretAccessKey: 'SK' });
    expect(() => make({ credentials: provider, accessKeyId: 'ak-value' })).toThrow(new TypeError(`${name}: give either "credentials" or "accessKeyId" / "secretAccessKey" / "${name === 'obsSigner' ? 'securityToken' : 'sessionToken'}", not both`));
    expect(() => make({ credentials: { accessKeyId: 'ak-value', secretAccessKey: '' } })).toThrow(new TypeError(`${name}: "credentials" has no "secretAccessKey" (a non-empty string)`));
    expect(() => make({ credentials: provider, refreshBeforeExpiryMs: -1 })).toThrow(/"refreshBeforeExpiryMs" must be a finite number/);
    expect(() => make({ credentials: provider, now: 5 as unknown as () => number })).toThrow(/"now" must be a function/);
    expect(() => make({})).toThrow(`${name}: "accessKeyId" must be a non-empty string`);
    expect(() => make({ credentials: { accessKeyId: 'ak-value', secretAccessKey: '' } })).not.toThrow(/ak-value/);
  });

  it('rejects with a clear error when the provider fails, and asks it again on the next request', async () => {
    let calls = 0;
    const sign = make({ credentials: () => (++calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve({ accessKeyId: 'AKOK', secretAccessKey: 'SK' })) });
    await expect(sign(configOf(), context())).rejects.toThrow(`${name}: the credentials provider failed`);
    expect(keyOf(await sign(configOf(), context()))).toBe('AKOK');
  });

  it('renews once for the keys a call was refused with, and not again for calls refused with those keys after', async () => {
    let issued = 0;
    const sign = make({ credentials: () => Promise.resolve({ accessKeyId: `AK${String(++issued)}`, secretAccessKey: 'SK', expiration: NOW + HOUR }), now: () => NOW });
    const calls = [{}, {}, {}];
    for (const call of calls) expect(keyOf(await sign(configOf(), context({ call })))).toBe('AK1');
    // Each call's next request is told its credentials were refused.
    for (const call of calls) expect(keyOf(await sign(configOf(), context({ call, requestNumber: 2, refreshCredentials: true })))).toBe('AK2');
    expect(issued).toBe(2);
    // A hook told to refresh without a call to go by renews anyway.
    expect(keyOf(await sign(configOf(), context({ refreshCredentials: true })))).toBe('AK3');
  });

  it('signs static keys again as they are when told to refresh', async () => {
    const sign = make({ accessKeyId: 'AKSTATIC', secretAccessKey: 'SK' });
    expect(keyOf(await sign(configOf(), context({ call: {}, refreshCredentials: true })))).toBe('AKSTATIC');
  });
});
