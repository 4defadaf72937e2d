/**
 * Name resolution that sends every hostname to 127.0.0.1, so tests can use
 * virtual-hosted names (`photos.obs.test`) and hostile hosts (`evil.test`)
 * while every byte stays on this machine and no DNS is ever asked.
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import http from 'node:http';
import type { LookupFunction } from 'node:net';

const LOOPBACK: LookupAddress = { address: '127.0.0.1', family: 4 };

/**
 * A `lookup` for `net.connect`, `http.Agent` and `https.Agent` options that
 * answers 127.0.0.1 (IPv4) for any hostname.
 *
 * Node calls `lookup` in two forms: with `{ all: true }` (its happy-eyeballs
 * connect, the default since Node 20) it expects an array of addresses, otherwise
 * a single address and family. Answering the wrong form makes `connect` fail
 * with `ERR_INVALID_IP_ADDRESS`, so both are handled.
 */
export const loopbackLookup: LookupFunction = (_hostname: string, options: LookupOptions | undefined, callback) => {
  if (options?.all === true) callback(null, [{ ...LOOPBACK }]);
  else callback(null, LOOPBACK.address, LOOPBACK.family);
};

/**
 * A keep-alive `http.Agent` whose connections all go to 127.0.0.1, whatever
 * the URL's hostname. Give it to axios as `httpAgent`; `destroy()` it when done
 * so its idle sockets do not keep the process alive.
 * @param options more `http.Agent` options; they win over the defaults (but keep `lookup` unless you mean it).
 */
export function createLoopbackAgent(options: http.AgentOptions = {}): http.Agent {
  return new http.Agent({ keepAlive: true, lookup: loopbackLookup, ...options });
}
