/**
 * Type-level tests: `npm run typecheck` compiles this file, so a wrong event
 * name or payload field is a compile error (each `@ts-expect-error` must fire).
 */
import { describe, expect, it } from '@jest/globals';
import axios, { type AxiosRequestConfig } from 'axios';
import { attachObsPolicies, type ObsPolicyEvents, type RetryEvent } from '../../src/index.js';

describe('event typing', () => {
  it('types payloads by event name and rejects unknown names', () => {
    const client = axios.create();
    const handle = attachObsPolicies(client);
    const delays: number[] = [];
    const codes: string[] = [];
    const off = handle.on('retry', (e) => {
      delays.push(e.delayMs);
      codes.push(e.error.obsCode);
    });
    handle.once('circuitOpen', (e) => {
      codes.push(e.endpoint);
    });
    // @ts-expect-error: there is no such event
    handle.on('retyr', () => undefined);
    /* eslint-disable @typescript-eslint/no-unsafe-argument -- the next line is meant not to compile */
    handle.on('circuitOpen', (e) => {
      // @ts-expect-error: circuit events carry no delayMs
      delays.push(e.delayMs);
    });
    /* eslint-enable @typescript-eslint/no-unsafe-argument */
    // @ts-expect-error: the listener of 'retry' receives a RetryEvent, not a number
    handle.on('retry', (e: number) => e);
    const payload: ObsPolicyEvents['retry'] extends RetryEvent ? true : false = true;
    expect(payload).toBe(true);
    expect(typeof off).toBe('function');
    off();
    handle.detach();
  });

  it('types the per-request obs key through module augmentation', () => {
    const config: AxiosRequestConfig = { obs: { retry: { retries: 0 } } };
    const disabled: AxiosRequestConfig = { obs: false };
    // @ts-expect-error: breaker is a handle option only
    const wrong: AxiosRequestConfig = { obs: { breaker: false } };
    expect([config, disabled, wrong]).toHaveLength(3);
  });
});
