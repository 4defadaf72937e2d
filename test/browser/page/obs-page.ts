/**
 * The page of the Chromium test: bundled by esbuild for the browser with the
 * package's main entry and axios's browser build, no polyfills. It exposes
 * `window.obsPage`, whose calls run one scenario against the local OBS server
 * (another origin: every request crosses CORS) and resolve with plain,
 * serialisable facts for `page.evaluate` to hand back to Node.
 */
import axios, { type AxiosProgressEvent } from 'axios';
import { attachObsPolicies, CircuitOpenError, isObsError, type ObsPolicyEventName, type ObsPolicyOptions } from '../../../src/index.js';

/** The axios browser adapters the test runs on. */
export type PageAdapter = 'xhr' | 'fetch';

/** What the page saw of a rejection. */
export interface ErrorFacts {
  isObsError: boolean;
  isCircuitOpenError: boolean;
  name: string;
  message: string;
  obsCode: string | undefined;
  status: number | undefined;
  hint: string | undefined;
  action: string | undefined;
  attempts: number | undefined;
  requestId: string | undefined;
  hostId: string | undefined;
  id2: string | undefined;
}

/** One event of the handle: its name, and the URL of request events. */
export interface EventFacts {
  name: ObsPolicyEventName;
  url: string | undefined;
}

/** How one call ended. */
export type CallFacts = { ok: true; status: number; data: unknown } | { ok: false; error: ErrorFacts };

/** One `onUploadProgress` report. */
export interface ProgressFacts {
  loaded: number;
  total: number | undefined;
  upload: boolean | undefined;
}

/** The calls of one scenario, the handle's events, and the upload progress reported, in order. */
export interface ScenarioFacts {
  calls: CallFacts[];
  events: EventFacts[];
  progress: ProgressFacts[];
  elapsedMs: number;
}

/** Per-call axios settings of a scenario. */
export interface CallSettings {
  /** axios `timeout` of every attempt. @default 5000 */
  timeoutMs?: number;
  /** `stream`: the fetch adapter's WHATWG stream (read to text for the facts). @default 'text' */
  responseType?: 'text' | 'stream';
}

/** What the page offers the test. */
export interface ObsPage {
  /** GETs each of `paths` in turn (fast retries, default breaker). */
  get(base: string, adapter: PageAdapter, paths: string[], settings?: CallSettings): Promise<ScenarioFacts>;
  /** GETs each of `paths` in turn with a breaker that opens after `consecutiveFailures` failures in a row. */
  getWithBreaker(base: string, adapter: PageAdapter, paths: string[], consecutiveFailures: number): Promise<ScenarioFacts>;
  /** PUTs a `Blob` of `size` bytes (byte i = i mod 251) to `url`, with `onUploadProgress` when `withProgress`. */
  putBlob(base: string, adapter: PageAdapter, url: string, size: number, withProgress: boolean): Promise<ScenarioFacts>;
}

declare global {
  interface Window {
    obsPage?: ObsPage;
  }
}

const EVENTS: readonly ObsPolicyEventName[] = ['retry', 'redirect', 'failFast', 'giveUp', 'circuitOpen', 'circuitHalfOpen', 'circuitClose', 'circuitReject'];

/** Fast, deterministic policies: tiny waits, jitter pinned to the middle. */
const FAST: ObsPolicyOptions = { retry: { minDelayMs: 1, maxDelayMs: 20 }, random: () => 0.5 };

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const count = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

function factsOf(error: unknown): ErrorFacts {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  return {
    isObsError: isObsError(error),
    isCircuitOpenError: error instanceof CircuitOpenError,
    name: error instanceof Error ? error.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
    obsCode: text(fields.obsCode),
    status: count(fields.status),
    hint: text(fields.hint),
    action: text(fields.action),
    attempts: count(fields.attempts),
    requestId: text(fields.requestId),
    hostId: text(fields.hostId),
    id2: text(fields.id2),
  };
}

/** A client on `adapter` with the policies attached, recording the handle's events. */
function policyClient(base: string, adapter: PageAdapter, options: ObsPolicyOptions, events: EventFacts[]) {
  // A timeout bounds every attempt: the page must never hang the test.
  const client = axios.create({ baseURL: base, adapter, timeout: 5000 });
  const handle = attachObsPolicies(client, options);
  for (const name of EVENTS) {
    handle.on(name, (payload: unknown) => {
      const url = (payload as { url?: unknown }).url;
      events.push({ name, url: typeof url === 'string' ? url : undefined });
    });
  }
  return { client, handle };
}

async function settle(call: Promise<{ status: number; data: unknown }>): Promise<CallFacts> {
  try {
    const response = await call;
    const data = response.data instanceof ReadableStream ? await new Response(response.data).text() : response.data;
    return { ok: true, status: response.status, data };
  } catch (error) {
    return { ok: false, error: factsOf(error) };
  }
}

async function getEach(base: string, adapter: PageAdapter, paths: string[], options: ObsPolicyOptions, settings: CallSettings = {}): Promise<ScenarioFacts> {
  const started = performance.now();
  const events: EventFacts[] = [];
  const { client, handle } = policyClient(base, adapter, options, events);
  const calls: CallFacts[] = [];
  const config = { responseType: settings.responseType ?? 'text', ...(settings.timeoutMs === undefined ? {} : { timeout: settings.timeoutMs }) };
  try {
    for (const path of paths) calls.push(await settle(client.get(path, config)));
  } finally {
    handle.detach();
  }
  return { calls, events, progress: [], elapsedMs: performance.now() - started };
}

/** Bytes 0, 1, … 250, 0, 1, …: a body whose corruption or truncation shows. */
function patternBlob(size: number): Blob {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return new Blob([bytes], { type: 'application/octet-stream' });
}

const page: ObsPage = {
  get: (base, adapter, paths, settings) => getEach(base, adapter, paths, FAST, settings),

  getWithBreaker: (base, adapter, paths, consecutiveFailures) =>
    getEach(base, adapter, paths, { ...FAST, breaker: { consecutiveFailures, resetTimeoutMs: 60_000 } }),

  async putBlob(base, adapter, url, size, withProgress) {
    const started = performance.now();
    const events: EventFacts[] = [];
    const progress: ProgressFacts[] = [];
    const { client, handle } = policyClient(base, adapter, FAST, events);
    try {
      const onUploadProgress = (event: AxiosProgressEvent): void => {
        progress.push({ loaded: event.loaded, total: event.total, upload: event.upload });
      };
      const call = await settle(client.put(url, patternBlob(size), withProgress ? { onUploadProgress, responseType: 'text' } : { responseType: 'text' }));
      return { calls: [call], events, progress, elapsedMs: performance.now() - started };
    } finally {
      handle.detach();
    }
  },
};

window.obsPage = page;
