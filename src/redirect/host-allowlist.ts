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

/** True when `hostname` matches one entry of `allowHosts` (exact, `.suffix`, or RegExp). */
export function hostMatches(hostname: string, allowHosts: readonly (string | RegExp)[]): boolean {
  const host = normalizeHostname(hostname);
  for (const entry of allowHosts) {
    if (entry instanceof RegExp) {
      // A global/sticky RegExp keeps lastIndex between tests; reset it so matching is stateless.
      entry.lastIndex = 0;
      if (entry.test(host)) return true;
    } else {
      const wanted = normalizeHostname(entry);
      if (wanted.startsWith('.') ? host.endsWith(wanted) && host.length > wanted.length : host === wanted) return true;
    }
  }
  return false;
}
