/**
 * Remembered 301s: origin → origin rewrites, per handle, bounded. A rewrite is
 * scoped to what the 301 was about: the whole origin for a virtual-hosted
 * bucket (the host is the bucket), only `/<bucket>/` for path-style endpoints,
 * so a 301 for one bucket can never move calls for another.
 */
import { LruMap } from '../util/lru.js';

function isPathStyleHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  // IP literals, localhost and the bare regional endpoint (obs.<region>.…) carry the bucket in the path.
  return host === 'localhost' || host.startsWith('[') || /^\d+(\.\d+){3}$/.test(host) || host.startsWith('obs.') || !host.includes('.');
}

function scopeKey(url: URL): string {
  if (!isPathStyleHost(url.hostname)) return url.origin;
  const bucket = url.pathname.split('/')[1] ?? '';
  return `${url.origin}/${bucket}`;
}

/** The remembered permanent redirects of one handle. */
export class PermanentRedirects {
  private readonly rewrites: LruMap<string, string>;

  constructor(capacity: number) {
    this.rewrites = new LruMap(capacity);
  }

  /**
   * Remembers a 301 from `from` to `to` when it only moved the origin (same
   * path and query): anything else is followed for this call but not remembered.
   */
  remember(from: URL, to: URL): void {
    if (from.origin === to.origin || from.pathname !== to.pathname || from.search !== to.search) return;
    this.rewrites.set(scopeKey(from), to.origin);
  }

  /** Applies a remembered rewrite to `url`, or returns it unchanged. */
  rewrite(url: URL): URL {
    if (this.rewrites.size === 0) return url;
    const origin = this.rewrites.get(scopeKey(url));
    if (origin === undefined) return url;
    const target = new URL(origin);
    const moved = new URL(url.href);
    moved.protocol = target.protocol;
    moved.host = target.host;
    return moved;
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
