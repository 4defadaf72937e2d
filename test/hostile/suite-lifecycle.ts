/**
 * The lifecycle every server property of the hostile suite shares: one server
 * and one process-fault collector for the whole file, every hostile client
 * closed after each test, and the collector stopped and the server closed at
 * the end.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { closeHostileClients } from './hostile-clients.js';
import { collectProcessFaults, type ProcessFaults } from './process-faults.js';

/** What a file's properties run against; read it inside tests (it is set up in `beforeAll`). */
export interface HostileSuite<Server> {
  /** The server started for this file. */
  readonly server: Server;
  /** Unhandled rejections and uncaught exceptions seen while the file runs. */
  readonly faults: ProcessFaults;
}

/**
 * Registers the suite's jest hooks in the current scope (file or `describe`).
 * @param start starts the server, once, before the first test of the scope
 */
export function useHostileSuite<Server extends { close(): Promise<void> }>(start: () => Promise<Server>): HostileSuite<Server> {
  let server: Server | undefined;
  let faults: ProcessFaults | undefined;

  beforeAll(async () => {
    server = await start();
    faults = collectProcessFaults();
  });

  afterEach(async () => {
    await closeHostileClients();
  });

  afterAll(async () => {
    faults?.stop();
    await server?.close();
  });

  return {
    get server(): Server {
      if (server === undefined) throw new Error('the hostile suite has not started: read `server` inside a test');
      return server;
    },
    get faults(): ProcessFaults {
      if (faults === undefined) throw new Error('the hostile suite has not started: read `faults` inside a test');
      return faults;
    },
  };
}
