/**
 * Which hosts a redirect may go to. Credentials travel with a followed hop, so
 * a host that is not the call's own and not on this list receives nothing.
 */

/**
 * The official OBS domains: `obs.<region>.myhuaweicloud.com` / `.eu`, the global
 * `obs.myhuaweicloud.com`, and bucket subdomains of each. The default of
 * `redirect.allowHosts`; spread it when adding your own hosts.
 */
export const OBS_OFFICIAL_HOSTS: readonly (string | RegExp)[] = Object.freeze([
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*obs(?:\.[a-z0-9-]+)?\.myhuaweicloud\.(?:com|eu)$/,
]);

/** Lower-cases and drops a trailing dot, so `Host.Example.` and `host.example` compare equal. */
export function normalizeHostname(hostname: string): string {
  const lower = hostname.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Private copies of the global or sticky RegExps of `allowHosts`, made once per RegExp. `test()`
 * on a global or sticky RegExp reads and writes its `lastIndex`: matching with the user's own
 * object would depend on earlier matches and throw on a frozen one. The copy has the same source
 * and flags (a sticky one still matches only from the start of the hostname), and only its own
 * `lastIndex` is ever written.
 */
const PRIVATE_COPIES = new WeakMap<RegExp, RegExp>();

/** Tests `pattern` against `host` from its start, never writing to `pattern`. */
function patternMatches(pattern: RegExp, host: string): boolean {
  // Without `g` and `y`, `test()` starts at 0 and never writes `lastIndex`.
  if (!pattern.global && !pattern.sticky) return pattern.test(host);
  let copy = PRIVATE_COPIES.get(pattern);
  if (copy === undefined) {
    copy = new RegExp(pattern.source, pattern.flags);
    PRIVATE_COPIES.set(pattern, copy);
  }
  copy.lastIndex = 0;
  return copy.test(host);
}

/**
 * True when `hostname` matches one entry of `allowHosts` (exact, `.suffix`, or RegExp).
 * Never writes to the entries: a frozen RegExp, global or sticky included, matches like any other,
 * and a RegExp's `lastIndex` neither changes nor changes the answer.
 */
export function hostMatches(hostname: string, allowHosts: readonly (string | RegExp)[]): boolean {
  const host = normalizeHostname(hostname);
  for (const entry of allowHosts) {
    if (entry instanceof RegExp) {
      if (patternMatches(entry, host)) return true;
    } else {
      const wanted = normalizeHostname(entry);
      if (wanted.startsWith('.') ? host.endsWith(wanted) && host.length > wanted.length : host === wanted) return true;
    }
  }
  return false;
}
