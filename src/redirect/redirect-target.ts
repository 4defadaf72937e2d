/**
 * Where a redirect may go, decided without I/O: the target comes from
 * `Location` (resolved against the current URL) or from the XML `<Endpoint>` of
 * a 301 without one; it must be http(s), carry no userinfo, not downgrade
 * https to http, and name the call's own host or an allowed one. A remembered
 * 301 rewrite passes the same check, with the settings of each call that uses it.
 */
import type { ObsFault } from '../classify/fault.js';
import { hostMatches, normalizeHostname } from './host-allowlist.js';

/** The verdict on a redirect. */
export type RedirectVerdict = { ok: true; url: URL; permanent: boolean } | { ok: false; reason: string };

/** What the verdict depends on besides the fault. */
export interface RedirectContext {
  /** The URL of the request that was redirected. */
  current: URL;
  /** The URL the call started with. */
  original: URL;
  allowHosts: readonly (string | RegExp)[];
}

function targetFromEndpoint(endpoint: string, current: URL): URL | undefined {
  const text = endpoint.trim();
  if (text === '') return undefined;
  // An <Endpoint> without a scheme keeps the request's scheme; path and query are kept.
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? new URL(text) : new URL(`${current.protocol}//${text}`);
  const target = new URL(current.href);
  target.protocol = base.protocol;
  target.host = base.host;
  return target;
}

function parseTarget(fault: ObsFault, current: URL): URL | undefined {
  if (fault.location !== undefined && fault.location.trim() !== '') return new URL(fault.location.trim(), current);
  if (fault.endpoint !== undefined) return targetFromEndpoint(fault.endpoint, current);
  return undefined;
}

/**
 * Whether a request of the call may go to `target` instead of where it was going: the target
 * must be http(s), carry no userinfo, not downgrade https to http, and name the call's own host or
 * one its `allowHosts` match. The one check of every target a call is moved to: a live redirect's
 * (through {@link resolveRedirect}) and a remembered 301 rewrite's, with the call's own settings.
 */
export function checkRedirectTarget(target: URL, context: RedirectContext): { ok: true } | { ok: false; reason: string } {
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    return { ok: false, reason: `redirect to scheme ${target.protocol} refused` };
  }
  if (target.username !== '' || target.password !== '') return { ok: false, reason: 'redirect target carries credentials (userinfo)' };
  const wasHttps = context.current.protocol === 'https:' || context.original.protocol === 'https:';
  if (wasHttps && target.protocol === 'http:') return { ok: false, reason: 'redirect from https to http refused' };
  const host = normalizeHostname(target.hostname);
  const ownHost = normalizeHostname(context.original.hostname);
  if (host !== ownHost && !hostMatches(host, context.allowHosts)) {
    return { ok: false, reason: `redirect to host ${host} refused: not the call's host and not in redirect.allowHosts` };
  }
  return { ok: true };
}

/** Decides whether and where a redirect fault may be followed. */
export function resolveRedirect(fault: ObsFault, context: RedirectContext): RedirectVerdict {
  let target: URL | undefined;
  try {
    target = parseTarget(fault, context.current);
  } catch {
    return { ok: false, reason: 'redirect target is not a valid URL' };
  }
  if (target === undefined) return { ok: false, reason: 'redirect without Location or Endpoint' };
  const check = checkRedirectTarget(target, context);
  if (!check.ok) return check;
  const permanent = fault.status === 301 || fault.status === 308;
  return { ok: true, url: target, permanent };
}
