/**
 * The plain server of the alternating overhead setup: a bare `node:http`
 * server, alone in its process, that answers every request with the same
 * 1 KiB body and the headers an OBS GET carries (`x-obs-request-id`,
 * `x-obs-id-2`, `etag`, `last-modified`). No routing, no scenarios, no log:
 * the least server work per GET, so the clients' CPU is what is compared.
 * It reports its port as its ready message and exits when the parent
 * disconnects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OBJECT_BYTES } from '../cli/sizes.js';
import { serveParent } from '../ipc/serve.js';

const body = Buffer.alloc(OBJECT_BYTES, 7);
let answered = 0;

const server = http.createServer((_request, response) => {
  answered++;
  const serial = answered.toString(16).padStart(8, '0');
  response.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(body.length),
    'x-obs-request-id': `0000018A${serial}`,
    'x-obs-id-2': `32AAAQAAEAABAAAQAAEAABAAAQAAEAABCS${serial}`,
    etag: '"0f343b0931126a20f133d67c2b018a3b"',
    'last-modified': 'Mon, 07 Dec 2026 00:00:00 GMT',
    server: 'OBS',
  });
  response.end(body);
});
// Longer than any pause between rounds: the clients' keep-alive sockets stay open.
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

serveParent<never>(
  () => Promise.reject(new Error('the plain server takes no requests')),
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => {
        resolve();
      });
    }),
);
process.send?.({ id: 0, type: 'done', result: { port: (server.address() as AddressInfo).port } });
