/**
 * Which hosts a call of the hostile suite may reach: its own host (any port),
 * and what its `allowHosts` admits (the suite only uses string entries: exact
 * names and `.suffix` names, as the contract defines them).
 */
import { OWN_HOST } from './answer-arbitraries.js';

/** The hostname of a Host header (`name:port`, `[v6]:port`), lower-cased, without a trailing dot. */
export function hostnameOf(hostHeader: string): string {
  const name = hostHeader.startsWith('[') ? hostHeader.slice(0, hostHeader.indexOf(']') + 1) : (hostHeader.split(':')[0] ?? '');
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Whether a call with `allowHosts` (string entries; `undefined`: the official OBS list, which no test host matches) may reach `hostname`. */
export function mayReach(hostname: string, allowHosts: readonly string[] | undefined): boolean {
  if (hostname === OWN_HOST) return true;
  return (allowHosts ?? []).some((entry) => (entry.startsWith('.') ? hostname.endsWith(entry) && hostname.length > entry.length : hostname === entry));
}
