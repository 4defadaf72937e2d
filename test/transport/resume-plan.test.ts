/**
 * Reading a streamed GET's first answer for resuming, and checking the answers
 * to resumed reads: pure, no server.
 */
import { describe, expect, it } from '@jest/globals';
import { continuationOf, rangeRequestOf, resumePlanOf, type ResumePlan } from '../../src/transport/resume-plan.js';

const ETAG = '"5d41402abc4b2a76b9719d911017c592"';

describe('resumePlanOf', () => {
  it('reads a 200 with Content-Length and a strong ETag', () => {
    expect(resumePlanOf({ status: 200, headers: { 'content-length': '1000', etag: ETAG } })).toEqual({ start: 0, end: 999, size: 1000, etag: ETAG, ranged: false });
  });

  it('reads a 206 from its Content-Range, through any header shape', () => {
    const headers = { get: (name: string) => ({ 'content-range': 'bytes 100-199/1000', etag: ETAG })[name] };
    expect(resumePlanOf({ status: 206, headers })).toEqual({ start: 100, end: 199, size: 1000, etag: ETAG, ranged: true });
  });

  it('refuses what cannot be resumed as one version', () => {
    const cases = [
      { status: 200, headers: { 'content-length': '10' } },
      { status: 200, headers: { 'content-length': '10', etag: `W/${ETAG}` } },
      { status: 200, headers: { etag: ETAG } },
      { status: 200, headers: { 'content-length': '10', etag: ETAG, 'content-encoding': 'gzip' } },
      { status: 206, headers: { 'content-range': 'bytes 0-9/*', etag: ETAG } },
      { status: 206, headers: { 'content-range': 'bytes 9-0/10', etag: ETAG } },
      { status: 203, headers: { 'content-length': '10', etag: ETAG } },
    ];
    expect(cases.map((first) => 'unresumable' in resumePlanOf(first))).toEqual(cases.map(() => true));
  });
});

describe('rangeRequestOf and continuationOf', () => {
  const whole: ResumePlan = { start: 0, end: 999, size: 1000, etag: ETAG, ranged: false };
  const part: ResumePlan = { start: 100, end: 199, size: 1000, etag: ETAG, ranged: true };

  it('asks for the missing bytes of the same version', () => {
    expect(rangeRequestOf(whole, 300)).toEqual({ start: 300, end: 999, etag: ETAG, headers: { Range: 'bytes=300-', 'If-Match': ETAG } });
    expect(rangeRequestOf(part, 30).headers).toEqual({ Range: 'bytes=130-199', 'If-Match': ETAG });
  });

  it('accepts only a 206 of exactly those bytes', () => {
    const wanted = rangeRequestOf(whole, 300);
    const answer = (status: number, headers: Record<string, string>) => continuationOf(whole, wanted, { status, headers });
    expect(answer(206, { 'content-range': 'bytes 300-999/1000', etag: ETAG })).toEqual({ ok: true });
    expect(answer(206, { 'content-range': 'bytes 300-999/1000' })).toEqual({ ok: true });
    expect(answer(412, {})).toMatchObject({ ok: false, code: 'PreconditionFailed' });
    expect(answer(206, { 'content-range': 'bytes 300-999/1000', etag: '"other"' })).toMatchObject({ ok: false, code: 'PreconditionFailed' });
    expect(answer(200, { etag: ETAG })).toMatchObject({ ok: false, code: 'RangeNotHonoured' });
    for (const range of ['bytes 0-999/1000', 'bytes 300-998/1000', 'bytes 300-999/2000', 'bytes */1000']) {
      expect(answer(206, { 'content-range': range, etag: ETAG })).toMatchObject({ ok: false, code: 'RangeMismatch' });
    }
  });
});
