/**
 * One call under the policies. The call only acts: each failed request is
 * judged by the policy table, `decide()` says what happens next, and this
 * object follows the hop, waits and re-sends, or ends the call with the error
 * the reporter builds. The first attempt runs outside the retry loop: a call
 * that succeeds at once (nearly all of them) pays nothing for it.
 */
import { CanceledError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { decide } from '../decide/decide.js';
import type { DecideSettings, Decision, Refusal } from '../decide/decision.js';
import { unreplayableBodyReason } from '../decide/replay.js';
import type { CallSettings } from '../options/resolve.js';
import { CallReporter, type ReportedFault } from '../reporting/reporter.js';
import { AttemptFailure, retryLoop } from '../retry/retry-loop.js';
import { callSignal } from '../retry/call-signal.js';
import { abortableWait } from '../retry/wait.js';
import type { ExchangeContext } from '../transport/exchange.js';
import { RequestTarget } from '../transport/request-target.js';
import type { HandleContext } from './handle-context.js';
import { sendRequest, type Sent, type SendRequest } from './send.js';

/** What a failed attempt carries to `act`: the outcome and the decision about it (never a redirect: hops are followed in the attempt). */
interface Judged {
  outcome: ReportedFault | Refusal;
  decision: Exclude<Decision, { type: 'redirect' }>;
}

/** A call's first request, already sent, with where it went. */
interface FirstRequest {
  sent: Sent;
  target: RequestTarget;
}

/** Runs one call; resolves with the response or rejects with an ObsError (or the untouched cancel/local/hook error). */
export class PolicyCall implements ExchangeContext {
  readonly method: string;
  private readonly startedAt = Date.now();
  private readonly unreplayableBody: string | undefined;
  /** Built on first use: a call that succeeds at once reports nothing. */
  private reporterOf: CallReporter | undefined;
  /** Built on the first failure: a call that succeeds at once never needs it. */
  private decideSettings: DecideSettings | undefined;
  /** Epoch ms after which no paced request may start (`maxElapsedMs`). */
  private readonly deadline: number;
  private sent = 0;
  private retriesUsed = 0;
  private hops = 0;
  private lastRetryCost: number | undefined;
  private skewCorrected = false;
  /** The last failed request, for a call whose retries an opening breaker cuts short. */
  private lastFault: ReportedFault | undefined;

  constructor(
    private readonly ctx: HandleContext,
    readonly callConfig: InternalAxiosRequestConfig,
    readonly base: AxiosAdapter,
    readonly settings: CallSettings,
    private readonly start: RequestTarget,
  ) {
    this.method = (callConfig.method ?? 'get').toUpperCase();
    this.unreplayableBody = unreplayableBodyReason(callConfig.data);
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
    return { target, keepParams, ownUrl: target === this.start, requestNumber: this.sent + 1, hops: this.hops, deadline: this.deadline };
  }

  /**
   * Runs the call to its end. The first request goes out at once, with no
   * async frame of the call's around it: a call that succeeds at once (nearly
   * all) costs one promise reaction here; the rest goes on in `runAttempts`.
   */
  run(): Promise<AxiosResponse> {
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
      if (first.result.type !== 'success') return this.runAttempts({ sent: first, target });
      this.sent++;
      this.ctx.budget?.recordSuccess(this.lastRetryCost);
      return first.result.response;
    });
  }

  /** Goes on from a first request that did not succeed: its hops, then retries as decided. */
  private async runAttempts(first: FirstRequest): Promise<AxiosResponse> {
    let failure: unknown;
    try {
      return await this.attempt(first);
    } catch (error) {
      failure = error;
    }
    if (!(failure instanceof AttemptFailure)) throw failure;
    try {
      if (!(await this.act(failure as AttemptFailure<Judged>))) throw failure;
      return await retryLoop((): Promise<AxiosResponse> => this.attempt(), (next: AttemptFailure<Judged>) => this.act(next));
    } catch (error) {
      // Every ending decision sets finalError; the fallback only guards against a bug ever rejecting with undefined.
      throw error instanceof AttemptFailure ? (error.finalError ?? new Error('obs-axios-policies: a call ended without an error (bug)')) : error;
    }
  }

  /**
   * One attempt: a request plus the redirect hops it leads to (hops use no retries).
   * @param first the attempt's first request, when it was already sent (the call's first attempt)
   */
  private async attempt(first?: FirstRequest): Promise<AxiosResponse> {
    let target = first?.target ?? this.firstTarget();
    let keepParams = true;
    let visited: Set<string> | undefined;
    let pending: Sent | undefined = first?.sent;
    for (;;) {
      const { result: outcome, sent }: Sent = pending ?? (await sendRequest(this.ctx, this, this.requestTo(target, keepParams)));
      pending = undefined;
      if (sent) this.sent++;
      if (outcome.type === 'success') {
        this.ctx.budget?.recordSuccess(this.lastRetryCost);
        return outcome.response;
      }
      if (outcome.type === 'passthrough') throw outcome.error;
      if (outcome.type === 'aborted') throw new CanceledError(undefined, undefined, this.callConfig);
      const url = target.url;
      visited ??= new Set([url.href]);
      const decision = this.decide(outcome, visited);
      if (outcome.type === 'fault') this.lastFault = outcome;
      if (decision.type !== 'redirect') throw new AttemptFailure<Judged>({ outcome, decision });
      if (outcome.type !== 'fault') throw new Error('unreachable: a refusal is never redirected');
      this.reporter.redirect(url, decision.url, outcome.fault.status ?? 0, decision.permanent);
      if (decision.permanent) this.ctx.redirects.remember(url, decision.url);
      this.hops++;
      visited.add(decision.url.href);
      keepParams = decision.url.search === '' || outcome.fault.location === undefined;
      target = RequestTarget.of(decision.url);
    }
  }

  /** Asks `decide()` about a failed request (or a refusal), with where the call stands. */
  private decide(outcome: ReportedFault | Refusal, visited: ReadonlySet<string>): Decision {
    const retryable = outcome.type === 'fault' && (outcome.policy.action === 'retry' || outcome.policy.action === 'circuit');
    return decide({
      outcome,
      call: {
        method: this.method,
        unreplayableBody: this.unreplayableBody,
        startUrl: this.startUrl,
        retriesUsed: this.retriesUsed,
        hops: this.hops,
        visited,
        elapsedMs: Date.now() - this.startedAt,
        skewCorrected: this.skewCorrected,
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
      // Drawn only for a retry: an injected random source sees one draw per backoff.
      jitter: retryable ? this.ctx.settings.random() : 0,
      nowMs: Date.now(),
    });
  }

  /** Acts on a failed attempt's decision: resolves true to send again (after any wait), false to end the call. */
  private async act(failure: AttemptFailure<Judged>): Promise<boolean> {
    const { outcome, decision } = failure.detail;
    const fault = outcome.type === 'fault' ? outcome : this.lastFault;
    switch (decision.type) {
      case 'retry': {
        if (fault === undefined) return false;
        // Another call may have emptied the budget since decide() looked.
        if (this.ctx.budget !== undefined && !this.ctx.budget.take(decision.cost)) {
          failure.finalError = this.reporter.giveUp(fault, this.sent, 'retry budget exhausted');
          return false;
        }
        this.lastRetryCost = this.ctx.budget === undefined ? undefined : decision.cost;
        this.retriesUsed++;
        this.reporter.retry(fault, this.sent, this.retriesUsed, decision.delayMs);
        await abortableWait(
          decision.delayMs,
          callSignal(this.callConfig),
          this.ctx.pendingWaits,
          () => new CanceledError(undefined, undefined, this.callConfig),
          () => this.reporter.giveUp(fault, this.sent, 'detached'),
        );
        return true;
      }
      case 'resign':
        this.skewCorrected = true;
        this.ctx.clockOffsetMs = decision.offsetMs;
        this.reporter.clockSkew(decision.offsetMs);
        return true;
      case 'failFast':
        if (fault !== undefined) failure.finalError = this.reporter.failFast(fault, this.sent, decision.reason);
        return false;
      case 'giveUp':
        failure.finalError =
          fault !== undefined ? this.reporter.giveUp(fault, this.sent, decision.reason) : this.reporter.paceTimeout(this.startUrl, this.sent, decision.reason);
        return false;
      case 'refuse':
        failure.finalError = this.reporter.circuitReject(outcome.type === 'refused' ? outcome.endpoint : this.start.origin);
        return false;
    }
  }
}
