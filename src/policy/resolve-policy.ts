/**
 * Resolves the action and retry knobs for one outcome, along the precedence
 * chain (strongest first): the request's `obs.policies[code]`, the request's
 * `obs.retry`, the handle's `policies[code]`, the handle's `retry`, the knobs
 * in DEFAULT_POLICIES, the package defaults. Codes not in any table fall back
 * to `HTTP_<status>` and then to `HTTP_<class>xx`.
 */
import { DEFAULT_POLICIES } from './default-policies.js';
import { httpStandInCode, statusClassCode } from '../classify/stand-in-codes.js';
import type { PolicyAction, PolicyOverride, PolicyTable, RetryKnobs } from './types.js';

/** Retry knobs with every value filled in. */
export type ResolvedKnobs = Required<RetryKnobs>;

/** The action and knobs that apply to one outcome. */
export interface ResolvedPolicy extends ResolvedKnobs {
  action: PolicyAction;
  /** The table key the action came from (the code itself, or a fallback such as `HTTP_5xx`). */
  matchedKey: string;
}

/**
 * The package's own knob defaults, the weakest layer of the chain. `DEFAULTS.retry`
 * (src/options/defaults.ts) is this object, so the options table shows it with every other default.
 */
export const RETRY_DEFAULTS: Readonly<ResolvedKnobs> = Object.freeze({
  retries: 3,
  minDelayMs: 100,
  maxDelayMs: 20_000,
  factor: 2,
  throttleMultiplier: 4,
});

/** One layer of user configuration: its table and its general retry knobs. */
export interface PolicyLayer {
  policies?: PolicyTable | undefined;
  retry?: RetryKnobs | undefined;
}

type Entry = PolicyAction | PolicyOverride;

function entryOf(table: PolicyTable | undefined, key: string): Entry | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

function knobsOf(source: RetryKnobs | Entry | undefined): RetryKnobs {
  if (source === undefined || typeof source === 'string') return {};
  const knobs: RetryKnobs = {};
  if (source.retries !== undefined) knobs.retries = source.retries;
  if (source.minDelayMs !== undefined) knobs.minDelayMs = source.minDelayMs;
  if (source.maxDelayMs !== undefined) knobs.maxDelayMs = source.maxDelayMs;
  if (source.factor !== undefined) knobs.factor = source.factor;
  if (source.throttleMultiplier !== undefined) knobs.throttleMultiplier = source.throttleMultiplier;
  return knobs;
}

function actionOf(entry: Entry | undefined): PolicyAction | undefined {
  if (entry === undefined) return undefined;
  return typeof entry === 'string' ? entry : entry.action;
}

/** The keys tried for an outcome, most specific first. */
function lookupKeys(code: string, status: number | undefined): string[] {
  const keys = [code];
  if (status !== undefined) keys.push(httpStandInCode(status), statusClassCode(status));
  return keys;
}

/**
 * Resolves what to do with an outcome.
 * @param code the OBS code or stand-in
 * @param status the HTTP status, if there was a response
 * @param handle the handle's options layer
 * @param request the request's `obs` layer, if any
 */
export function resolvePolicy(code: string, status: number | undefined, handle: PolicyLayer, request?: PolicyLayer): ResolvedPolicy {
  const tables = [request?.policies, handle.policies, DEFAULT_POLICIES];
  let matchedKey = code;
  let action: PolicyAction | undefined;
  for (const key of lookupKeys(code, status)) {
    for (const table of tables) {
      action = actionOf(entryOf(table, key));
      if (action !== undefined) break;
    }
    if (action !== undefined) {
      matchedKey = key;
      break;
    }
  }
  const knobs: ResolvedKnobs = {
    ...RETRY_DEFAULTS,
    ...knobsOf(entryOf(DEFAULT_POLICIES, matchedKey)),
    ...knobsOf(handle.retry),
    ...knobsOf(entryOf(handle.policies, matchedKey)),
    ...knobsOf(request?.retry),
    ...knobsOf(entryOf(request?.policies, matchedKey)),
  };
  // No table answered (only possible for a response-less stand-in a user deleted): fail fast.
  return { ...knobs, action: action ?? 'fail', matchedKey };
}
