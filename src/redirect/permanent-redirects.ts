/**
 * Remembered 301s: origin → origin rewrites, per handle, bounded. A rewrite is
 * scoped to what the 301 was about: the whole origin for a virtual-hosted
 * bucket (the host is the bucket), only `/<bucket>/` for path-style endpoints,
 * so a 301 for one bucket can never move calls for another.
 *
 * A rewrite is remembered for the handle but used per call: each call that would
 * be moved checks the new origin with its own redirect settings, exactly as a
 * live redirect of that call is checked (`checkRedirectTarget`). A call whose
 * settings refuse it goes to its own URL, as if nothing were remembered; if the
 * server answers that with the 301 again, the call's redirect policy refuses
 * that hop as it refuses any other. So a 301 one call was allowed to follow
 * never sends another call, or its credentials, where that call may not go.
 */
import { LruMap } from '../util/lru.js';
import { isPathStyleHost } from './path-style-host.js';
import { checkRedirectTarget } from './redirect-target.js';

/** The settings of the call a remembered rewrite is checked for. */
export interface RewriteCheck {
  /** The call's `redirect.allowHosts`. */
  allowHosts: readonly (string | RegExp)[];
  /** The call's `redirect.maxRedirects`: with 0 the call follows no redirect, remembered ones included. */
  maxRedirects: number;
}

/**
 * What a remembered rewrite applies to: the origin of a virtual-hosted URL, or the origin and
 * `/<bucket>` of a path-style one. A snapshot's `from` must be written this way.
 */
export function redirectScope(url: URL): string {
  if (!isPathStyleHost(url.hostname)) return url.origin;
  const bucket = url.pathname.split('/')[1] ?? '';
  return `${url.origin}/${bucket}`;
}

/** One remembered 301: calls in scope `from` go to origin `to`. */
export interface RememberedRedirect {
  readonly from: string;
  readonly to: string;
}

/** The remembered permanent redirects of one handle. */
export class PermanentRedirects {
  private readonly rewrites: LruMap<string, RememberedRedirect>;

  constructor(capacity: number) {
    this.rewrites = new LruMap(capacity);
  }

  /**
   * Remembers a 301 from `from` to `to` when it only moved the origin (same
   * path and query): anything else is followed for this call but not remembered.
   * @returns the rewrite remembered, or `undefined` when nothing was
   */
  remember(from: URL, to: URL): RememberedRedirect | undefined {
    if (from.origin === to.origin || from.pathname !== to.pathname || from.search !== to.search) return undefined;
    const scope = redirectScope(from);
    const rewrite = { from: scope, to: to.origin };
    this.rewrites.set(scope, rewrite);
    return rewrite;
  }

  /**
   * Where a call that starts at `url` goes: the remembered new origin when there is one and the
   * call's own redirect settings allow it, else `url` itself (the same object).
   * @param url the call's own URL
   * @param call the settings of the call, checked as for a live redirect of that call
   */
  rewrite(url: URL, call: RewriteCheck): URL {
    if (this.rewrites.size === 0) return url;
    const origin = this.rewrites.get(redirectScope(url))?.to;
    if (origin === undefined || call.maxRedirects === 0) return url;
    const target = new URL(origin);
    const moved = new URL(url.href);
    moved.protocol = target.protocol;
    moved.host = target.host;
    return checkRedirectTarget(moved, { current: url, original: url, allowHosts: call.allowHosts }).ok ? moved : url;
  }

  /** The remembered rewrites, least recently used first (a snapshot). */
  records(): RememberedRedirect[] {
    return [...this.rewrites.values()];
  }

  /**
   * Takes up a rewrite a snapshot kept, as `remember` would have stored it. The caller checks it
   * first (`redirectScope` form, and the handle's redirect settings, as for a live redirect).
   */
  restore(record: RememberedRedirect): void {
    this.rewrites.set(record.from, { from: record.from, to: record.to });
  }

  /** Remembered rewrites now. */
  get size(): number {
    return this.rewrites.size;
  }

  /** Forgets everything (detach). */
  clear(): void {
    this.rewrites.clear();
  }
}
