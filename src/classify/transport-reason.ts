/**
 * The reason of a response-less failure, in words a log reader can act on:
 * `ECONNRESET: socket hang up`, `timeout of 300ms exceeded`,
 * `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9`. axios (and the fetch
 * adapter's `fetch failed`) wrap the real reason one or two `cause`s down.
 */

/** Messages that say nothing about why: look further down the chain. */
const GENERIC_MESSAGES: ReadonlySet<string> = new Set(['fetch failed', 'Network Error', 'terminated', '']);
/** System and undici error codes (`ECONNRESET`, `UND_ERR_SOCKET`), not axios's own `ERR_*` labels. */
const TRANSPORT_CODE = /^(?!ERR_)(E[A-Z0-9_]+|UND_ERR[A-Z0-9_]*)$/;
/** How far down the cause chain to look (chains are two or three deep in practice). */
const MAX_DEPTH = 6;
/** A reason is a phrase, not a dump. */
const MAX_REASON_LENGTH = 200;

function own(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The errors of `error`'s cause chain, outermost first (a chain that loops is cut where it does). */
function causeChain(error: unknown): object[] {
  const chain: object[] = [];
  let current: unknown = error;
  while (chain.length < MAX_DEPTH && current !== null && typeof current === 'object' && !chain.includes(current)) {
    chain.push(current);
    current = own(current, 'cause');
  }
  return chain;
}

/**
 * @returns the first system or undici error code (`ECONNRESET`, `UND_ERR_SOCKET`) down
 *   `error`'s cause chain, `undefined` when none: then no connection failed beneath it
 */
export function transportCode(error: unknown): string | undefined {
  for (const link of causeChain(error)) {
    const code = own(link, 'code');
    if (typeof code === 'string' && TRANSPORT_CODE.test(code)) return code;
  }
  return undefined;
}

/**
 * @returns the transport code and the most specific message of `error`'s cause
 *   chain, e.g. `ECONNRESET: socket hang up`; `undefined` when there is none.
 */
export function transportReason(error: unknown): string | undefined {
  const code = transportCode(error);
  let message: string | undefined;
  for (const link of causeChain(error)) {
    const ownMessage = own(link, 'message');
    // The deepest specific message wins: wrappers repeat or blur it.
    if (typeof ownMessage === 'string' && !GENERIC_MESSAGES.has(ownMessage.trim())) message = ownMessage.trim();
  }
  let reason: string | undefined;
  if (message !== undefined && code !== undefined && !message.includes(code)) reason = `${code}: ${message}`;
  else reason = message ?? code;
  return reason !== undefined && reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH)}…` : reason;
}
