import { describe, expect, it } from '@jest/globals';
import { transportCode, transportReason } from '../../src/classify/transport-reason.js';

function chain(...links: { code?: string; message?: string }[]): unknown {
  let cause: unknown;
  for (const link of links.reverse()) cause = Object.assign(new Error(link.message ?? ''), link.code !== undefined ? { code: link.code } : {}, { cause });
  return cause;
}

describe('transportReason', () => {
  it.each([
    ['http adapter reset', chain({ code: 'ECONNRESET', message: 'socket hang up' }, { code: 'ECONNRESET', message: 'socket hang up' }), 'ECONNRESET: socket hang up'],
    ['http adapter timeout', chain({ code: 'ECONNABORTED', message: 'timeout of 300ms exceeded' }), 'ECONNABORTED: timeout of 300ms exceeded'],
    [
      'fetch adapter reset (axios → TypeError → undici)',
      chain({ code: 'ERR_NETWORK', message: 'fetch failed' }, { message: 'fetch failed' }, { code: 'UND_ERR_SOCKET', message: 'other side closed' }),
      'UND_ERR_SOCKET: other side closed',
    ],
    ['refused, message already names the code', chain({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' }), 'connect ECONNREFUSED 127.0.0.1:9'],
    ['only a code', chain({ code: 'EPIPE' }), 'EPIPE'],
    ['nothing useful', chain({ code: 'ERR_NETWORK', message: 'Network Error' }), undefined],
    ['not an error', 'boom', undefined],
  ])('%s', (_name, error, expected) => {
    expect(transportReason(error)).toBe(expected);
  });

  it('survives a cause cycle and cuts a huge message', () => {
    const a = Object.assign(new Error('x'.repeat(1000)), { code: 'ECONNRESET' });
    Object.assign(a, { cause: a });
    const reason = transportReason(a);
    expect(reason?.length).toBeLessThanOrEqual(202);
    expect(reason?.startsWith('ECONNRESET: xxx')).toBe(true);
  });
});

describe('transportCode', () => {
  it.each([
    ['the first system code down the chain', chain({ code: 'ERR_NETWORK', message: 'fetch failed' }, { message: 'fetch failed' }, { code: 'UND_ERR_SOCKET' }), 'UND_ERR_SOCKET'],
    ['an own code', chain({ code: 'ECONNRESET', message: 'socket hang up' }), 'ECONNRESET'],
    ['none under axios’s own labels', chain({ code: 'ERR_BAD_REQUEST', message: 'Request body larger than maxBodyLength limit' }), undefined],
    ['none under a decoding TypeError', chain({ message: 'Content-Type was not one of "multipart/form-data"' }), undefined],
    ['not an error', 'ECONNRESET', undefined],
  ])('%s', (_name, error, expected) => {
    expect(transportCode(error)).toBe(expected);
  });
});
