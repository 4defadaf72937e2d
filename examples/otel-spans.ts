/**
 * OpenTelemetry with `@opentelemetry/api` only: span events for `retry`,
 * `redirect` and `giveUp` on the span of the call, and `http.request.resend_count`
 * (semantic conventions: every resend counts, retries and redirect hops alike).
 *
 * Correlation: a request interceptor pins the active span on the call's config
 * (`config.otelSpan`); events with an `error` reach it through `e.error.config`
 * (the call's config as the interceptors left it), whatever the async context.
 * `redirect` has no error: it takes the active span, which is the call's because
 * the policies run the call in the caller's async context (AsyncLocalStorage,
 * as the Node SDK's context manager). Method + url would mix up two calls to one
 * object; a per-call header would go to the server. A real app registers the
 * SDK; here a tiny in-memory tracer stands in for it.
 */
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import axios from 'axios';
import { context, ROOT_CONTEXT, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type ContextManager, type Span, type SpanStatus, type Tracer } from '@opentelemetry/api';
import { attachObsPolicies, isObsError } from 'obs-axios-policies';
import { createObsServer } from 'obs-axios-policies/testing';

declare module 'axios' {
  interface AxiosRequestConfig {
    /** The span of the call, pinned by the request interceptor below. */
    otelSpan?: Span | undefined;
  }
}

// --- The stand-in for an SDK: an AsyncLocalStorage context manager and a recording tracer.
class AlsContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active = (): Context => this.storage.getStore() ?? ROOT_CONTEXT;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
    return this.storage.run(ctx, () => fn.apply(thisArg, args));
  }
  bind = <T>(_ctx: Context, target: T): T => target;
  enable = (): this => this;
  disable = (): this => this;
}
/** What the in-memory tracer saw of one span. */
interface RecordedSpan { name: string; attributes: Attributes; events: { name: string; attributes: Attributes }[]; status: SpanStatusCode; ended: boolean }
const spans: RecordedSpan[] = [];
/** The API's own non-recording span, with the methods the recipe uses made to record. */
function recordingSpan(name: string): Span {
  const rec: RecordedSpan = { name, attributes: {}, events: [], status: SpanStatusCode.UNSET, ended: false };
  spans.push(rec);
  const span = trace.wrapSpanContext({ traceId: randomBytes(16).toString('hex'), spanId: randomBytes(8).toString('hex'), traceFlags: TraceFlags.SAMPLED });
  const addEvent = (event: string, attributes?: unknown): Span => (rec.events.push({ name: event, attributes: (attributes ?? {}) as Attributes }), span);
  return Object.assign(span, {
    addEvent,
    setAttribute: (key: string, value: Attributes[string]): Span => ((rec.attributes[key] = value), span),
    setStatus: (status: SpanStatus): Span => ((rec.status = status.code), span),
    recordException: (error: unknown): void => void addEvent('exception', { 'exception.message': String(error) }),
    end: (): void => void (rec.ended = true),
    isRecording: (): boolean => !rec.ended,
  });
}
const tracer: Tracer = {
  startSpan: recordingSpan,
  startActiveSpan: (name: string, ...args: unknown[]): unknown => {
    const span = recordingSpan(name);
    return context.with(trace.setSpan(context.active(), span), args.at(-1) as (span: Span) => unknown, undefined, span);
  },
};
context.setGlobalContextManager(new AlsContextManager());
trace.setGlobalTracerProvider({ getTracer: () => tracer });

// --- The recipe.
const obs = await createObsServer();
const client = axios.create({ baseURL: obs.url });
const handle = attachObsPolicies(client, { retry: { retries: 2, minDelayMs: 5 } });
client.interceptors.request.use((config) => {
  config.otelSpan = trace.getActiveSpan();
  return config;
});

const resends = new WeakMap<Span, number>();
const resent = (span: Span | undefined): void => {
  if (span === undefined) return;
  resends.set(span, (resends.get(span) ?? 0) + 1);
  span.setAttribute('http.request.resend_count', resends.get(span) ?? 0);
};
handle.on('retry', (e) => {
  const span = e.error.config?.otelSpan;
  span?.addEvent('obs.retry', { 'obs.attempt': e.attempt, 'obs.delay_ms': e.delayMs, 'error.type': e.error.obsCode });
  resent(span);
});
handle.on('redirect', (e) => {
  const span = trace.getActiveSpan();
  span?.addEvent('obs.redirect', { 'http.response.status_code': e.status, 'url.full': e.to, 'obs.permanent': e.permanent });
  resent(span);
});
handle.on('giveUp', (e) => {
  e.error.config?.otelSpan?.addEvent('obs.give_up', { 'error.type': e.error.obsCode, 'obs.reason': e.reason, 'obs.attempts': e.attempts });
});

/** The app's own span around one call. */
const traced = (name: string, url: string): Promise<void> =>
  trace.getTracer('example').startActiveSpan(name, async (span) => {
    try {
      await client.get(url);
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      span.recordException(isObsError(err) ? err.message : String(err));
    } finally {
      span.end();
    }
  });

// Two concurrent calls: two SlowDowns, then the object; a 307 hop to an InternalError, until it
// gives up (each retry starts over at the call's URL: a 307 is not remembered).
obs.putObject('photos', 'cat.jpg', 'meow');
obs.enqueue({ error: 'SlowDown', match: { path: '/photos/cat.jpg' }, times: 2 });
obs.enqueue({ redirect: 307, location: `${obs.url}/photos/new.jpg`, match: { path: '/photos/old.jpg' }, times: 3 });
obs.enqueue({ error: 'InternalError', match: { path: '/photos/new.jpg' }, times: 3 });
await Promise.all([traced('read cat', '/photos/cat.jpg'), traced('read old', '/photos/old.jpg')]);

for (const span of spans) {
  console.log(`span "${span.name}" ${JSON.stringify(span.attributes)}`);
  for (const event of span.events) console.log(`  ${event.name} ${JSON.stringify(event.attributes)}`);
}
const [cat, old] = spans;
assert.deepEqual(cat?.events.map((e) => e.name), ['obs.retry', 'obs.retry']);
assert.equal(cat.attributes['http.request.resend_count'], 2, 'two retries');
const hop = ['obs.redirect', 'obs.retry'];
assert.deepEqual(old?.events.map((e) => e.name), [...hop, ...hop, 'obs.redirect', 'obs.give_up', 'exception']);
assert.equal(old.attributes['http.request.resend_count'], 5, 'three hops and two retries');
assert.equal(old.events.find((e) => e.name === 'obs.give_up')?.attributes['obs.attempts'], 6, 'the first request and five resends');
assert.equal(old.status, SpanStatusCode.ERROR);
assert.ok(spans.every((s) => s.ended));


handle.detach();
trace.disable();
context.disable();
await obs.close();
