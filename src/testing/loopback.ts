/**
 * Name resolution that sends every hostname to 127.0.0.1, so tests can use
 * virtual-hosted names (`photos.obs.test`) and hostile hosts (`evil.test`)
 * while every byte stays on this machine.
 */
import http from 'node:http';
import type { LookupFunction } from 'node:net';

/** A `lookup` for `net.connect` / `http.Agent` that answers 127.0.0.1 for any name. */
export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  const all = typeof options === 'object' && options.all === true;
  // Node asks for an array when `all` is set (happy-eyeballs), a single address otherwise.
  if (all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** A keep-alive `http.Agent` whose connections all go to 127.0.0.1 (destroy it when done). */
export function createLoopbackAgent(options: http.AgentOptions = {}): http.Agent {
  return new http.Agent({ keepAlive: true, lookup: loopbackLookup, ...options });
}
