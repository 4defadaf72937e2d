/**
 * Turns a scripted answer step (error, redirect, raw) into a `Reply`.
 * Transport steps (reset, hang) and `ok` steps are not answers: the server
 * plays those itself.
 */
import { catalogEntry } from './obs-responses.js';
import { errorReply, obsHeaders, withHeaders, type Reply, type ReplyContext } from './reply.js';
import type { ErrorStep, RawStep, RedirectStep } from './steps.js';

/** The steps that render to a reply. */
export type AnswerStep = ErrorStep | RedirectStep | RawStep;

const REDIRECT_CODES = { 301: 'PermanentRedirect', 302: 'Found', 307: 'TemporaryRedirect' } as const;

/** 302 is not an OBS code; S3 calls it `Found`. */
const FOUND_MESSAGE = 'The resource was found at another address.';

function redirectReply(step: RedirectStep, request: ReplyContext): Reply {
  const code = REDIRECT_CODES[step.redirect];
  const message = step.redirect === 302 ? FOUND_MESSAGE : catalogEntry(code).message;
  return errorReply({ error: code, status: step.redirect, message, location: step.location, endpoint: step.endpoint, headers: step.headers }, request);
}

function rawReply(step: RawStep): Reply {
  const base = step.obsHeaders === false ? { date: new Date().toUTCString() } : obsHeaders();
  return { status: step.status, headers: withHeaders(base, step.headers), body: step.body ?? '' };
}

/** The reply of an error, redirect or raw step to `request`. */
export function renderStep(step: AnswerStep, request: ReplyContext): Reply {
  if ('redirect' in step) return redirectReply(step, request);
  if ('error' in step) return errorReply(step, request);
  return rawReply(step);
}
