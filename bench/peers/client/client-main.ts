/**
 * A client process: one client library, driven by the parent over IPC.
 * One process per client variant keeps their CPU figures, their JIT and their
 * heaps apart; a new client object is built for every run, so no breaker,
 * budget or rate limiter carries over from one scenario to the next.
 */
import { serveParent } from '../ipc/serve.js';
import type { BenchClient } from './bench-client.js';
import type { ClientRequest } from './client-protocol.js';
import { driveFixed } from './drive-fixed.js';
import { driveLoop } from './drive-loop.js';
import { makeClient } from './make-client.js';
import { warmSockets } from './warm-sockets.js';

let client: BenchClient | undefined;

function drop(): void {
  client?.close();
  client = undefined;
}

serveParent<ClientRequest>(
  async (request, progress) => {
    switch (request.type) {
      case 'open':
        drop();
        client = await makeClient(request.spec);
        return {};
      case 'warm':
        if (client === undefined) throw new Error('warm before open');
        await warmSockets(client, request.sockets);
        return {};
      case 'load': {
        if (client === undefined) throw new Error('load before open');
        const { load } = request;
        return load.mode === 'fixed' ? driveFixed(client, load, progress) : driveLoop(client, load, progress);
      }
      case 'close':
        drop();
        return {};
    }
  },
  () => {
    drop();
    return Promise.resolve();
  },
);
process.send?.({ id: 0, type: 'done', result: { pid: process.pid } });
