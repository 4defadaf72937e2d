/**
 * One call under the policies. p-retry drives the attempts; each attempt sends
 * through the endpoint's breaker and follows redirect hops itself (hops do not
 * use up retries). Everything runs inside the adapter, so the instance's own
 * interceptors see one request and one response per call.
 */
import { AxiosHeaders, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import pRetry, { AbortError, type RetryContext } from 'p-retry';
import { CircuitOpenError } from '../errors/circuit-open-error.js';
import { ObsError } from '../errors/obs-error.js';
import type { ObsRequestOptions, SignHook } from '../options/types.js';
import { resolvePolicy, type ResolvedPolicy } from '../policy/resolve-policy.js';
import { redactUrl } from '../redact/redact-url.js';
import { AttemptFailure, CountedFailure, type SendOutcome } from './outcome.js';
import { BREAKER_REFUSAL_CODES } from '../breaker/breaker-registry.js';
import { exchange, type ExchangeContext } from '../transport/exchange.js';
import type { HandleContext } from './handle-context.js';
import { resolveRedirect } from '../redirect/redirect-target.js';
import { unreplayableBodyReason } from '../decide/replay.js';
import { decideRetry } from '../decide/retry-check.js';
import { abortableWait, type SignalLike } from '../retry/wait.js';

type FaultOutcome = Extract<SendOutcome, { type: 'fault' }>;

function errorCode(error: unknown): unknown {
  return error !== null && typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
}

/** Runs a breaker task without a breaker: a counted failure is just its outcome. */
async function unguarded(task: () => Promise<SendOutcome>): Promise<SendOutcome> {
  try {
    return await task();
  } catch (error) {
    if (error instanceof CountedFailure) return error.outcome;
    throw error;
  }
}

/** Runs one call; resolves with the response or rejects with an ObsError (or the untouched cancel/local error). */
export class PolicyCall implements ExchangeContext {
  readonly method: string;
  private readonly startedAt = Date.now();
  private readonly unreplayableBody: string | undefined;
  private sent = 0;
  private retriesUsed = 0;
  private hops = 0;
  private lastRetryCost: number | undefined;
  private skewRetried = false;
  private final: ObsError | undefined;
  /** The last failed attempt, for a call whose retries an opening breaker cuts short. */
  private lastFailure: FaultOutcome | undefined;

  constructor(
    private readonly ctx: HandleContext,
    private readonly config: InternalAxiosRequestConfig,
    readonly base: AxiosAdapter,
    private readonly request: ObsRequestOptions | undefined,
    private readonly startUrl: URL,
  ) {
    this.method = (config.method ?? 'get').toUpperCase();
    this.unreplayableBody = unreplayableBodyReason(config.data);
  }

  /** The call's own config (what the caller's interceptors produced). */
  get callConfig(): InternalAxiosRequestConfig {
    return this.config;
  }

  /** Runs the call to its end. */
  async run(): Promise<AxiosResponse> {
    // The first attempt runs directly: a call that succeeds at once (nearly all of
    // them) pays nothing for the retry machinery.
    let firstFailure: unknown;
    try {
      return await this.attempt();
    } catch (error) {
      firstFailure = error;
    }
    if (!(firstFailure instanceof AttemptFailure)) throw this.settleError(firstFailure);
    // p-retry drives everything after the first failure; its first "attempt" replays that failure.
    let replay: AttemptFailure | undefined = firstFailure;
    try {
      return await pRetry(
        () => {
          if (replay !== undefined) {
            const failure = replay;
            replay = undefined;
            return Promise.reject(failure);
          }
          return this.attempt();
        },
        {
          retries: Number.POSITIVE_INFINITY,
          // The waits are ours (full jitter, Retry-After, budget): p-retry adds none.
          minTimeout: 0,
          maxTimeout: 0,
          shouldConsumeRetry: () => true,
          shouldRetry: (context) => this.shouldRetry(context),
        },
      );
    } catch (error) {
      throw this.settleError(error);
    }
  }

  /** The rejection a call ends with: the decided ObsError, or the untouched cancel/local/hook error. */
  private settleError(error: unknown): unknown {
    if (this.final !== undefined) return this.final;
    if (error instanceof AttemptFailure) return this.toObsError(error.outcome, undefined);
    if (error instanceof AbortError) return error.originalError;
    return error;
  }

  private get eventBase(): { method: string; url: string } {
    return { method: this.method, url: redactUrl(this.startUrl.href) };
  }

  private toObsError(outcome: FaultOutcome, reason: string | undefined): ObsError {
    return new ObsError({
      fault: outcome.fault,
      action: outcome.policy.action,
      attempts: this.sent,
      config: this.config,
      request: outcome.response?.request,
      response: outcome.response,
      cause: outcome.error,
      reason,
      url: outcome.url.href,
    });
  }

  /** One p-retry attempt: a request plus any redirect hops it leads to. */
  private async attempt(): Promise<AxiosResponse> {
    let url = this.ctx.redirects.rewrite(this.startUrl);
    let keepParams = true;
    let visited: Set<string> | undefined;
    for (;;) {
      const outcome = await this.send(url, keepParams);
      if (outcome.type === 'success') {
        this.ctx.budget?.recordSuccess(this.lastRetryCost);
        return outcome.response;
      }
      if (outcome.type === 'passthrough') throw new AbortError(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
      if (outcome.type === 'refused') {
        const last = this.lastFailure;
        throw new AbortError(last !== undefined ? this.giveUp(last, 'circuit open: the endpoint breaker opened during retries') : this.refused(outcome.endpoint));
      }
      if (outcome.policy.action !== 'redirect') throw new AttemptFailure(outcome);
      visited ??= new Set<string>([url.href]);
      const next = this.nextHop(outcome, url, visited);
      url = next;
      keepParams = next.search === '' || outcome.fault.location === undefined;
    }
  }

  /** Checks and records a redirect hop; throws (stopping the call) when it is refused. */
  private nextHop(outcome: FaultOutcome, current: URL, visited: Set<string>): URL {
    const verdict = resolveRedirect(outcome.fault, { current, original: this.startUrl, allowHosts: this.allowHosts });
    let reason: string | undefined = verdict.ok ? undefined : verdict.reason;
    if (verdict.ok) {
      if (this.hops >= this.maxRedirects) reason = `more than maxRedirects (${this.maxRedirects}) hops`;
      else if (visited.has(verdict.url.href)) reason = 'redirect loop';
      else if (this.unreplayableBody !== undefined) reason = `not replayable: ${this.unreplayableBody}`;
    }
    if (!verdict.ok || reason !== undefined) {
      throw new AbortError(this.failFast(outcome, `redirect refused: ${reason ?? 'unknown'}`));
    }
    const to = verdict.url;
    if (this.ctx.emitter.has('redirect')) {
      this.ctx.emitter.emit('redirect', {
        ...this.eventBase,
        from: redactUrl(current.href),
        to: redactUrl(to.href),
        status: outcome.fault.status ?? 0,
        permanent: verdict.permanent,
      });
    }
    if (verdict.permanent) this.ctx.redirects.remember(current, to);
    this.hops++;
    visited.add(to.href);
    return to;
  }

  /** The call's sign hook: its own, none with `sign: false`, else the handle's. */
  private get signHook(): SignHook | undefined {
    const own = this.request?.sign;
    return own === false ? undefined : (own ?? this.ctx.options.sign);
  }

  private get allowHosts(): readonly (string | RegExp)[] {
    return this.request?.redirect?.allowHosts ?? this.ctx.allowHosts;
  }

  private get maxRedirects(): number {
    return this.request?.redirect?.maxRedirects ?? this.ctx.maxRedirects;
  }

  /** A refusal by an open breaker: CircuitOpenError on the first request, else the last real error. */
  private refused(endpoint: string): ObsError {
    const error = new CircuitOpenError(endpoint, this.config, this.startUrl.href);
    this.ctx.emitter.emit('circuitReject', { ...this.eventBase, endpoint, error });
    return error;
  }

  private failFast(outcome: FaultOutcome, reason: string): ObsError {
    const error = this.toObsError(outcome, reason);
    this.final = error;
    this.ctx.emitter.emit('failFast', { ...this.eventBase, error, reason });
    return error;
  }

  private giveUp(outcome: FaultOutcome, reason: string): ObsError {
    const error = this.toObsError(outcome, reason);
    this.final = error;
    this.ctx.emitter.emit('giveUp', { ...this.eventBase, error, attempts: this.sent, reason });
    return error;
  }

  /** p-retry's hook: after a failed attempt, decide; on yes, wait (abortably) before returning. */
  private async shouldRetry(context: RetryContext): Promise<boolean> {
    if (!(context.error instanceof AttemptFailure)) return false;
    const outcome = context.error.outcome;
    this.lastFailure = outcome;
    const { fault, policy } = outcome;
    if (policy.action === 'fail' || policy.action === 'redirect') {
      if (this.canCorrectClockSkew(outcome)) return true;
      this.failFast(outcome, `policy: ${policy.action === 'fail' ? 'fail' : 'redirect without a usable target'}`);
      return false;
    }
    if (this.ctx.pendingWaits.isCancelled) {
      this.giveUp(outcome, 'detached');
      return false;
    }
    const decision = decideRetry({
      fault,
      policy,
      method: this.method,
      unreplayableBody: this.unreplayableBody,
      retriesUsed: this.retriesUsed,
      elapsedMs: Date.now() - this.startedAt,
      maxElapsedMs: this.request?.retry?.maxElapsedMs ?? this.ctx.options.retry?.maxElapsedMs,
      breakerOpen: this.ctx.breakers?.isOpen(outcome.url.origin) ?? false,
      random: this.ctx.random,
    });
    if (!decision.retry) {
      this.giveUp(outcome, decision.reason);
      return false;
    }
    const budget = this.ctx.budget;
    const cost = budget?.costOf(fault.kind === 'timeout' || fault.kind === 'network');
    if (budget !== undefined && cost !== undefined && !budget.tryAcquire(cost)) {
      this.giveUp(outcome, 'retry budget exhausted');
      return false;
    }
    this.lastRetryCost = cost;
    this.retriesUsed++;
    if (this.ctx.emitter.has('retry')) {
      this.ctx.emitter.emit('retry', {
        ...this.eventBase,
        attempt: this.retriesUsed,
        delayMs: decision.delayMs,
        error: this.toObsError(outcome, undefined),
      });
    }
    await abortableWait(
      decision.delayMs,
      this.config.signal as SignalLike | undefined,
      this.ctx.pendingWaits,
      () => new CanceledError(undefined, undefined, this.config),
      () => this.giveUp(outcome, 'detached'),
    );
    return true;
  }

  /** On 403 RequestTimeTooSkewed with a sign hook: learn the server's clock and re-sign once. */
  private canCorrectClockSkew(outcome: FaultOutcome): boolean {
    const { fault } = outcome;
    if (fault.code !== 'RequestTimeTooSkewed' || this.skewRetried || fault.serverDateMs === undefined) return false;
    if (this.signHook === undefined) return false;
    this.skewRetried = true;
    this.ctx.clockOffsetMs = fault.serverDateMs - Date.now();
    this.ctx.emitter.emit('clockSkew', { ...this.eventBase, offsetMs: this.ctx.clockOffsetMs });
    return true;
  }

  /**
   * The config of one request: absolute URL, no auto-redirects, every status
   * settled by us. Headers are copied only for a sign hook, which may change them
   * per attempt; without one, every attempt sends the call's own headers (what the
   * adapter adds to them, such as User-Agent and Content-Length, is the same each time).
   */
  private attemptConfig(url: URL, keepParams: boolean, signed: boolean): InternalAxiosRequestConfig {
    const source = this.config.headers;
    const Headers = (source.constructor as typeof AxiosHeaders | undefined) ?? AxiosHeaders;
    const attempt: InternalAxiosRequestConfig = {
      ...this.config,
      url: url.href,
      headers: signed ? new Headers(source) : source,
      // axios must not follow 3xx itself: the redirect policy sees every hop.
      maxRedirects: 0,
      validateStatus: null,
    };
    delete attempt.baseURL;
    if (!keepParams) delete attempt.params;
    return attempt;
  }

  /** Sends one request through the endpoint's breaker and classifies what came back. */
  private async send(url: URL, keepParams: boolean): Promise<SendOutcome> {
    const endpoint = url.origin;
    const breakers = this.ctx.pendingWaits.isCancelled ? undefined : this.ctx.breakers;
    if (breakers?.isOpen(endpoint) === true) return { type: 'refused', endpoint };
    const sign = this.signHook;
    let config = this.attemptConfig(url, keepParams, sign !== undefined);
    if (sign !== undefined) {
      const requestNumber = this.sent + 1;
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- the alias is still filled in for old hooks
      config = await sign(config, { requestNumber, attempt: requestNumber, hops: this.hops, clockOffsetMs: this.ctx.clockOffsetMs });
    }
    const task = async (): Promise<SendOutcome> => {
      this.sent++;
      const outcome = await exchange(this, config, url);
      if (outcome.type === 'fault' && outcome.policy.action === 'circuit') throw new CountedFailure(outcome);
      return outcome;
    };
    if (breakers === undefined) return unguarded(task);
    try {
      return (await breakers.get(endpoint).fire(task)) as SendOutcome;
    } catch (error) {
      if (error instanceof CountedFailure) return error.outcome;
      const code = errorCode(error);
      // Detached mid-call: the breaker is shut down, the request still goes out once.
      if (code === 'ESHUTDOWN') return unguarded(task);
      if (typeof code === 'string' && BREAKER_REFUSAL_CODES.has(code)) return { type: 'refused', endpoint };
      throw error;
    }
  }

  /** The action and knobs for an outcome (with no breakers, `circuit` behaves as `retry`; the error still reports `circuit`). */
  readonly policyFor = (code: string, status: number | undefined): ResolvedPolicy => resolvePolicy(code, status, this.ctx.layer, this.request);
}
