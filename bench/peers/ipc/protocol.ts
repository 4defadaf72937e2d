/**
 * The messages the benchmark's processes exchange over Node's IPC channel.
 * Everything here is plain JSON: the parent, the OBS server process and the
 * client processes share nothing else.
 */

/** A JSON value (what crosses the IPC channel). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** A JSON object: the extra options a client variant passes to its constructor. */
export type JsonObject = Record<string, Json>;

/** A request from the parent to a child: `id` pairs it with its reply. */
export interface RequestEnvelope<T> {
  id: number;
  body: T;
}

/** A child's reply to one request, or a progress note about the request in flight. */
export type ReplyEnvelope =
  | { id: number; type: 'done'; result: unknown }
  | { id: number; type: 'failed'; message: string }
  | { id: number; type: 'progress'; done: number; total: number };
