/**
 * The benchmark's OBS server process: the local OBS server of
 * `src/testing`, alone in its process so that clients' CPU figures hold
 * only the client. The parent scripts it over IPC (seed, arm a scenario,
 * collect what arrived); it exits when the parent disconnects.
 */
import { createObsServer } from '../../../src/testing/index.js';
import { serveParent } from '../ipc/serve.js';
import { RequestLogBook } from './request-log.js';
import type { ServerRequest } from './server-protocol.js';
import { toScenario } from './to-scenario.js';

const server = await createObsServer();
let book = new RequestLogBook(Date.now());

/** Moves answered records into the compact log and drops them from the server's list. */
function fold(all: boolean): void {
  const records = server.requests;
  const answered = all ? records : records.filter((record) => record.response !== undefined);
  const pending = all ? [] : records.filter((record) => record.response === undefined);
  book.add(answered);
  server.clearRecords();
  records.push(...pending);
}

// Folding often keeps the server's full records (headers and all) from piling up in long runs.
const folding = setInterval(() => {
  fold(false);
}, 200);

serveParent<ServerRequest>(
  (request) => {
    switch (request.type) {
      case 'seed':
        for (const bucket of request.buckets) server.putObject(bucket, request.key, Buffer.alloc(request.bytes, 7), 'application/octet-stream');
        return Promise.resolve({ port: server.port });
      case 'arm': {
        server.reset();
        const now = Date.now();
        book = new RequestLogBook(request.origin);
        server.scenario(...request.scenarios.map((spec) => toScenario(spec, now)));
        return Promise.resolve({ armedAt: now });
      }
      case 'collect':
        fold(true);
        return Promise.resolve(book.snapshot());
    }
  },
  async () => {
    clearInterval(folding);
    await server.close();
  },
);
process.send?.({ id: 0, type: 'done', result: { port: server.port } });
