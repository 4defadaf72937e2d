/**
 * The benchmark's OBS server, in its own process so that the client's CPU
 * figures contain only the client (axios, and the policies when attached).
 * Sends its port to the parent over IPC and exits when the parent disconnects.
 */
import { createObsServer } from 'obs-axios-policies/testing';

const server = await createObsServer();
server.putObject('bench', 'object-1k', Buffer.alloc(1024, 7), 'application/octet-stream');
// Keep the record list from growing over a long run.
const trim = setInterval(() => {
  server.clearRecords();
}, 1000);
process.send?.({ port: server.port });
process.on('disconnect', () => {
  clearInterval(trim);
  void server.close().then(() => process.exit(0));
});
