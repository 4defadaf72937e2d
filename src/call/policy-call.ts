/**
 * One call under the policies. The call only acts: each request that does not
 * succeed is judged by the policy table, `decide()` says what happens next, and
 * this object follows the hop, waits and re-sends, or ends the call with the
 * error the reporter builds.
 *
 * The first request goes out with no async frame of the call's around it: a
 * call that succeeds at once (nearly all of them) never enters the loop. After
 * a first request that failed, every request is one attempt of the loop
 * (`retryLoop`, on p-retry), read top to bottom in `retrying`: the wait a retry
 * was given, the request, and, when it fails, `afterFailure`, which asks
 * `decide()` and acts on the answer.
 */
import { AxiosHeaders, CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { makeFault } from '../classify/fault.js';
import { NETWORK_ERROR_CODE, TIMEOUT_CODE } from '../classify/stand-in-codes.js';
import { afterBudgetTake, decide } from '../decide/decide.js';
import type { DecideSettings, Decision, Refusal } from '../decide/decision.js';
import { unreplayableBodyReason } from '../decide/replay.js';
import type { CallSettings } from '../options/resolve.js';
import { resolvePolicy } from '../policy/resolve-policy.js';
import { CallReporter, type ReportedFault } from '../reporting/reporter.js';
import { callSignal, linkAbort } from '../retry/call-signal.js';
import { AttemptFailure, retryLoop } from '../retry/retry-loop.js';
import { abortableWait } from '../retry/wait.js';
import { FreshBodies, readyFactoryCall } from '../transport/body-factory.js';
import type { ExchangeContext } from '../transport/exchange.js';
import { resumableBody, type RangeCall, type ResponseLike, type ResumeAsk } from '../transport/resumable-body.js';
import { RequestTarget } from '../transport/request-target.js';
import type { HandleContext } from './handle-context.js';
import { sendRequest, type Sent, type SendRequest } from './send.js';

/** A request that did not succeed, for `afterFailure`: what it came to and where it went. */
interface Failed {
  outcome: ReportedFault | Refusal;
  target: RequestTarget;
  /** The URLs of the redirect chain it belongs to, when it was a hop. */
  visited: Set<string> | undefined;
}

/** A retry as decided: its wait, the failure it retries (and the fault its events report), and the retries the call has used with it. */
interface Retry {
  delayMs: number;
  of: Failed;
  fault: ReportedFault;
  retriesUsed: number;
}

/** What the next attempt does, as the last decision left it. */
interface NextAttempt {
  /** Where it sends; `undefined`: where the call starts, looked up when the attempt begins (a 301 remembered meanwhile applies). */
  target: RequestTarget | undefined;
  /** False for a redirect target that carries its own query. */
  keepParams: boolean;
  /** The URLs of the redirect chain this attempt continues (`undefined`: a new chain). */
  visited: Set<string> | undefined;
  /** For a retry: the wait decide() gave it, and the failure it retries with the retries used by then (judged again if detach cuts the wait short). */
  retry: Retry | undefined;
  /** The request, when it was already sent (the call's first). */
  sent: Sent | undefined;
}

/** Start again where the call starts, at once, using no retry (after a re-sign). */
const AGAIN: NextAttempt = Object.freeze({ target: undefined, keepParams: true, visited: undefined, retry: undefined, sent: undefined });

/** Runs one call; resolves with the response or rejects with an ObsError (or the untouched cancel/local/hook error). */
export class PolicyCall implements ExchangeContext {
  readonly method: string;
  private readonly startedAt = Date.now();
  private readonly unreplayableBody: string | undefined;
  /** The bodies a body factory (`obs.body`) makes, one per request; `undefined`: the call sends its `data`. */
  readonly bodies: FreshBodies | undefined;
  /** Built on first use: a call that succeeds at once reports nothing. */
  private reporterOf: CallReporter | undefined;
  /** Built on the first failure: a call that succeeds at once never needs it. */
  private decideSettings: DecideSettings | undefined;
  /** Epoch ms after which no paced request may start (`maxElapsedMs`). */
  private readonly deadline: number;
  /** Requests sent (p-retry counts attempts and retries; only the send knows whether a request went out). */
  private sent = 0;
  /** Redirect hops followed, across the whole call (`maxRedirects` bounds them). */
  private hops = 0;
  private lastRetryCost: number | undefined;
  private skewCorrected = false;
  /** True once the call was sent again after a refusal of its credentials (it is, once). */
  private credentialsRefreshed = false;
  /** Set by a `refreshCredentials` decision: the next request's sign hook is told to fetch fresh credentials. */
  private refreshOnNextSign = false;
  /** The last failed request, for a call whose retries an opening breaker or the pace cuts short. */
  private lastFault: ReportedFault | undefined;
  /** Retries used so far (the loop's count; a resumed download body adds to it). */
  private retriesSoFar = 0;
  /** False for the read of a body's missing bytes: the body it continues does the resuming. */
  private resumesBody = true;

  constructor(
    private readonly ctx: HandleContext,
    readonly callConfig: InternalAxiosRequestConfig,
    readonly base: AxiosAdapter,
    readonly settings: CallSettings,
    private readonly start: RequestTarget,
  ) {
    this.method = (callConfig.method ?? 'get').toUpperCase();
    this.bodies = settings.body === undefined ? undefined : new FreshBodies(settings.body);
    this.unreplayableBody = unreplayableBodyReason(callConfig.data, this.bodies !== undefined);
    this.deadline = settings.maxElapsedMs === undefined ? Number.POSITIVE_INFINITY : this.startedAt + settings.maxElapsedMs;
  }

  /** Builds the call's events and errors. */
  private get reporter(): CallReporter {
    return (this.reporterOf ??= new CallReporter(this.ctx.emitter, this.callConfig, this.method, this.start));
  }

  /** The call's own URL, parsed on first use (a call that succeeds at once never needs it). */
  private get startUrl(): URL {
    return this.start.url;
  }

  /**
   * Where the call starts: its own URL, or where a remembered 301 moved its origin when this
   * call's redirect settings allow that target (checked as a live redirect of this call is);
   * a call they refuse starts at its own URL.
   */
  private firstTarget(): RequestTarget {
    if (this.ctx.redirects.size === 0) return this.start;
    const moved = this.ctx.redirects.rewrite(this.startUrl, this.settings);
    return moved === this.startUrl ? this.start : RequestTarget.of(moved);
  }

  /** The request to `target` that the call sends next. */
  private requestTo(target: RequestTarget, keepParams: boolean): SendRequest {
    const refreshCredentials = this.refreshOnNextSign;
    this.refreshOnNextSign = false;
    return { target, keepParams, ownUrl: target === this.start, requestNumber: this.sent + 1, hops: this.hops, deadline: this.deadline, refreshCredentials };
  }

  /**
   * Runs the call to its end. A call with a body factory is refused when it has `data` too, and
   * releases the last body made when it ends, however it ends.
   */
  run(): Promise<AxiosResponse> {
    const bodies = this.bodies;
    if (bodies === undefined) return this.sendAll();
    const refusal = readyFactoryCall(this.callConfig);
    if (refusal !== undefined) return Promise.reject(refusal);
    return this.sendAll().finally(() => {
      bodies.release();
    });
  }

  /**
   * Sends the call's requests. The first request goes out at once, with no
   * async frame of the call's around it: a call that succeeds at once (nearly
   * all) costs one promise reaction here. A cancel or local error ends it as
   * it is; a failure goes on in `retrying`.
   */
  private sendAll(): Promise<AxiosResponse> {
    let target: RequestTarget;
    let sending: Promise<Sent>;
    try {
      target = this.firstTarget();
      sending = sendRequest(this.ctx, this, this.requestTo(target, true));
    } catch (error) {
      // Only a bug lands here; it still rejects the call, as an async run would, instead of throwing into axios.
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return sending.then((first) => {
      const { result } = first;
      if (result.type === 'success' || result.type === 'passthrough' || result.type === 'aborted') return this.settle(first, target, undefined);
      // Refused before anything was sent (an open breaker, or a pace past maxElapsedMs): decide() ends
      // such a call at once, so it needs no loop (a caller retrying at once against an open breaker pays little).
      if (result.type === 'refused') this.afterFailure({ outcome: result, target, visited: undefined }, 0);
      return this.retrying(first, target);
    });
  }

  /**
   * The call after a first request that failed, as one loop: each attempt is the wait its retry
   * was given, then one request (a retry, a redirect hop or a re-signed request); each failed
   * request goes to `afterFailure`, which decides the next attempt or throws what the call ends
   * with. p-retry runs the attempts, counts the retries and stops when the call is cancelled.
   */
  private async retrying(first: Sent, firstTarget: RequestTarget): Promise<AxiosResponse> {
    const cancel = linkAbort(callSignal(this.callConfig), () => new CanceledError(undefined, undefined, this.callConfig));
    let next: NextAttempt = { target: firstTarget, keepParams: true, visited: undefined, retry: undefined, sent: first };
    try {
      return await retryLoop<AxiosResponse, Failed>({
        signal: cancel.signal,
        attempt: async () => {
          const { retry, target: decided, keepParams, visited, sent } = next;
          if (retry !== undefined) await this.backoff(retry, cancel.signal);
          const target = decided ?? this.firstTarget();
          return this.settle(sent ?? (await sendRequest(this.ctx, this, this.requestTo(target, keepParams))), target, visited);
        },
        onFailure: (failed, retriesUsed) => {
          next = this.afterFailure(failed, retriesUsed);
          return next.retry !== undefined;
        },
      });
    } finally {
      cancel.unlink();
    }
  }

  /**
   * What one request came to for the call: its response, or a throw — the untouched error of a
   * cancel or a local failure, or an `AttemptFailure` for `afterFailure` to judge.
   */
  private settle({ result, sent }: Sent, target: RequestTarget, visited: Set<string> | undefined): AxiosResponse {
    if (sent) this.sent++;
    switch (result.type) {
      case 'success':
        this.ctx.budget?.recordSuccess(this.lastRetryCost);
        return this.callConfig.responseType === 'stream' ? this.resumable(result.response, target) : result.response;
      case 'passthrough':
        // The adapter's or the hook's own error, handed on as it is.
        throw result.error;
      case 'aborted':
        throw new CanceledError(undefined, undefined, this.callConfig);
      default:
        throw new AttemptFailure<Failed>({ outcome: result, target, visited });
    }
  }

  /**
   * The wait before a retry, announced by the `retry` event just before it starts. The call's
   * cancellation ends it with the call's `CanceledError`; detach ends it too, with what
   * `detachedDuring` judges.
   */
  private backoff(retry: Retry, signal: AbortSignal): Promise<void> {
    this.reporter.retry(retry.fault, this.sent, retry.retriesUsed, retry.delayMs);
    return abortableWait(
      retry.delayMs,
      signal,
      this.ctx.pendingWaits,
      () => signal.reason as Error,
      () => this.detachedDuring(retry),
    );
  }

  /**
   * Detach cut a retry's wait short: the failure being retried is judged again at once, while the
   * handle still has its listeners, and `decide()`, seeing the handle detached, gives up.
   * @returns the error the call ends with
   */
  private detachedDuring(retry: Retry): Error {
    try {
      this.afterFailure(retry.of, retry.retriesUsed);
    } catch (ending) {
      if (ending instanceof Error) return ending;
    }
    return new Error('obs-axios-policies: a detached call was not ended (bug)');
  }

  /**
   * After a request that did not succeed: asks `decide()` and acts on the answer.
   * @param retriesUsed the retries the call has used, as the loop counted them
   * @returns what the next attempt does; throws the error the call ends with
   */
  private afterFailure(failed: Failed, retriesUsed: number): NextAttempt {
    const { outcome, target } = failed;
    const visited = failed.visited ?? new Set([target.url.href]);
    let decision = this.decide(outcome, retriesUsed, visited);
    if (outcome.type === 'fault') this.lastFault = outcome;
    // decide() read the budget's tokens; taking them can still fail, and then the call gives up as decide() would.
    if (decision.type === 'retry' && this.ctx.budget !== undefined) decision = afterBudgetTake(decision, this.ctx.budget.take(decision.cost));
    const fault = this.lastFault;
    switch (decision.type) {
      case 'redirect': {
        if (outcome.type !== 'fault') throw new Error('obs-axios-policies: a refusal was redirected (bug)');
        this.reporter.redirect(target.url, decision.url, outcome.fault.status ?? 0, decision.permanent);
        if (decision.permanent) {
          const remembered = this.ctx.redirects.remember(target.url, decision.url);
          if (remembered !== undefined) this.ctx.fleet?.redirectLearned(remembered);
        }
        this.hops++;
        visited.add(decision.url.href);
        const keepParams = decision.url.search === '' || outcome.fault.location === undefined;
        return { target: RequestTarget.of(decision.url), keepParams, visited, retry: undefined, sent: undefined };
      }
      case 'retry':
        if (fault === undefined) throw new Error('obs-axios-policies: a retry without a failure (bug)');
        this.lastRetryCost = this.ctx.budget === undefined ? undefined : decision.cost;
        this.retriesSoFar = retriesUsed + 1;
        return { ...AGAIN, retry: { delayMs: decision.delayMs, of: failed, fault, retriesUsed: retriesUsed + 1 } };
      case 'resign':
        this.skewCorrected = true;
        this.ctx.clockOffsetMs = decision.offsetMs;
        this.ctx.fleet?.clockLearned(decision.offsetMs);
        this.reporter.clockSkew(decision.offsetMs);
        return AGAIN;
      case 'refreshCredentials':
        this.credentialsRefreshed = true;
        this.refreshOnNextSign = true;
        return AGAIN;
      case 'failFast':
        if (fault === undefined) throw new Error('obs-axios-policies: a fail-fast without a failure (bug)');
        throw this.reporter.failFast(fault, this.sent, decision);
      case 'giveUp':
        if (fault !== undefined) throw this.reporter.giveUp(fault, this.sent, decision);
        // Nothing failed yet: the pace would have started the first request past maxElapsedMs.
        throw this.reporter.paceTimeout(this.startUrl, this.sent, decision, resolvePolicy(TIMEOUT_CODE, undefined, {}));
      case 'refuse':
        throw this.reporter.circuitReject(outcome.type === 'refused' ? outcome.endpoint : this.start.origin);
    }
  }

  /**
   * A streamed GET's answer with its body made resumable: a body that breaks or stalls goes on
   * from the byte it stopped at (docs/resumable-downloads.md). Other answers are returned as they are.
   */
  private resumable(response: AxiosResponse, target: RequestTarget): AxiosResponse {
    if (!this.resumesBody || this.method !== 'GET' || (response.status !== 200 && response.status !== 206)) return response;
    response.data = resumableBody(response, {
      bodyIdleTimeoutMs: this.settings.bodyIdleTimeoutMs,
      allowResume: (ask) => this.allowResume(ask),
      requestRange: (range) => this.requestRange(range, target),
    });
    return response;
  }

  /**
   * Whether a broken or stalled body may be resumed: judged by `decide()` as a retry of a
   * network failure (a reset) or a timeout (a stall), so it uses the call's retries and budget,
   * and waits the backoff it is given. `false` ends the body with the error that broke it.
   */
  private async allowResume(ask: ResumeAsk): Promise<boolean> {
    const fault = ask.reason === 'stall' ? makeFault('timeout', TIMEOUT_CODE) : makeFault('network', NETWORK_ERROR_CODE);
    const policy = resolvePolicy(fault.code, undefined, this.settings.handleLayer, this.settings.requestLayer);
    const outcome: ReportedFault = { type: 'fault', fault, policy, url: this.startUrl, response: undefined, error: ask.error };
    let decision = this.decide(outcome, this.retriesSoFar, new Set());
    if (decision.type === 'retry' && this.ctx.budget !== undefined) decision = afterBudgetTake(decision, this.ctx.budget.take(decision.cost));
    if (decision.type !== 'retry') return false;
    this.retriesSoFar++;
    this.lastRetryCost = this.ctx.budget === undefined ? undefined : decision.cost;
    this.reporter.resume(this.retriesSoFar, ask.reason, ask.receivedBytes, ask.totalBytes);
    const signal = callSignal(this.callConfig);
    await abortableWait(
      decision.delayMs,
      signal,
      this.ctx.pendingWaits,
      () => new CanceledError(undefined, undefined, this.callConfig),
      () => new CanceledError('obs-axios-policies: detached while a download waited to resume', undefined, this.callConfig),
    );
    return true;
  }

  /**
   * The missing bytes of a streamed body, as a call of its own through the policies (its gates,
   * sign hook, retries of throttling or a 5xx) to where the body came from. A 412 (the object
   * changed) fails fast and ends the body with that `ObsError`; the caller's cancellation or the
   * body's own end aborts it.
   */
  private requestRange(range: RangeCall, target: RequestTarget): Promise<ResponseLike> {
    const headers = AxiosHeaders.from(this.callConfig.headers).set('Range', range.headers.Range).set('If-Match', range.headers['If-Match']);
    const cancel = linkAbort(callSignal(this.callConfig), () => new CanceledError(undefined, undefined, this.callConfig));
    const controller = new AbortController();
    const abort = (): void => {
      controller.abort();
    };
    range.signal.addEventListener('abort', abort, { once: true });
    cancel.signal.addEventListener('abort', abort, { once: true });
    if (range.signal.aborted || cancel.signal.aborted) abort();
    const own = target === this.start;
    const config = {
      ...this.callConfig,
      headers,
      signal: controller.signal,
      cancelToken: undefined,
      url: own ? this.callConfig.url : target.href,
      baseURL: own ? this.callConfig.baseURL : undefined,
      validateStatus: (status: number) => status === 200 || status === 206,
    } as InternalAxiosRequestConfig;
    // A range read has no body: a body factory of the call is not its.
    const settings = this.settings.body === undefined ? this.settings : { ...this.settings, body: undefined };
    const sub = new PolicyCall(this.ctx, config, this.base, settings, own ? RequestTarget.of(this.startUrl) : target);
    sub.resumesBody = false;
    const done = (): void => {
      cancel.unlink();
      range.signal.removeEventListener('abort', abort);
    };
    return sub.run().then(
      (response) => {
        done();
        return response;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  /** Asks `decide()` about a failed request (or a refusal), with where the call stands. */
  private decide(outcome: ReportedFault | Refusal, retriesUsed: number, visited: ReadonlySet<string>): Decision {
    return decide({
      outcome,
      call: {
        method: this.method,
        unreplayableBody: this.unreplayableBody,
        startUrl: this.startUrl,
        retriesUsed,
        hops: this.hops,
        visited,
        elapsedMs: Date.now() - this.startedAt,
        skewCorrected: this.skewCorrected,
        credentialsRefreshed: this.credentialsRefreshed,
        hasFailed: this.lastFault !== undefined,
        detached: this.ctx.detached,
      },
      settings: (this.decideSettings ??= {
        maxRedirects: this.settings.maxRedirects,
        allowHosts: this.settings.allowHosts,
        maxElapsedMs: this.settings.maxElapsedMs,
        canSign: this.settings.sign !== undefined,
      }),
      budget: this.ctx.budget?.view(),
      breakerOpen: outcome.type === 'fault' && this.ctx.breakers?.isOpen(outcome.url.origin) === true,
      paced: outcome.type === 'fault' && !this.ctx.detached && this.ctx.throttle?.tracks(outcome.url.origin) === true,
      // decide() draws from it once for each backoff it computes: an injected source sees one draw per backoff.
      random: this.ctx.settings.random,
      nowMs: Date.now(),
    });
  }
}
