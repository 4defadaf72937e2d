/**
 * Keeps credentials out of every printed form of an error chain. axios errors
 * carry the signed request config (`Authorization`, security token, presigned
 * URL), the live request (its raw header block) and the response as enumerable
 * fields, and `toJSON()` serialises the config: `console.error(err)` would print
 * them through `[cause]`. The fields stay readable (`err.cause.config` is still
 * the real config), they just leave the log walks.
 */
import type { InternalAxiosRequestConfig } from 'axios';
import { redactConfigSnapshot } from './redact-config.js';

/** Fields that hold credentials or sockets. */
const LIVE_FIELDS = ['config', 'request', 'response'] as const;
/** Cause chains are short; the bound only guards against hostile cycles. */
const MAX_DEPTH = 8;

function hideField(target: object, key: string): void {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  if (descriptor?.enumerable === true && descriptor.configurable === true) {
    Object.defineProperty(target, key, { enumerable: false });
  }
}

/** A JSON form of an axios error without credentials (its own `toJSON` includes the config). */
function safeJson(error: Record<string, unknown>): () => Record<string, unknown> {
  return () => ({
    name: error.name,
    message: error.message,
    code: error.code,
    status: error.status,
    config: redactConfigSnapshot(error.config as InternalAxiosRequestConfig | undefined),
  });
}

/**
 * Makes the credential-bearing fields of `error` and of every error down its
 * `cause` chain non-enumerable, and gives axios errors a redacted `toJSON`.
 * Never throws (frozen or exotic errors are left as they are).
 */
export function hideSecretsInChain(error: unknown): void {
  const seen = new Set<object>();
  let current: unknown = error;
  for (let depth = 0; depth < MAX_DEPTH && current !== null && typeof current === 'object' && !seen.has(current); depth++) {
    seen.add(current);
    const target = current as Record<string, unknown>;
    try {
      for (const key of LIVE_FIELDS) hideField(target, key);
      if (target.isAxiosError === true && !Object.hasOwn(target, 'toJSON')) {
        Object.defineProperty(target, 'toJSON', { value: safeJson(target), enumerable: false, configurable: true, writable: true });
      }
      current = target.cause;
    } catch {
      return;
    }
  }
}
