/**
 * The secrets the hostile suite plants in every call, and every printed form
 * of an error or an event payload they must never appear in: String, message,
 * stack, JSON.stringify, util.inspect with hidden properties at any depth, and
 * the ordinary log forms of test/support/printed-forms.ts (console, %O, pino).
 */
import util from 'node:util';
import { printedForms } from '../support/printed-forms.js';

/** Credentials of the planted request: header values and presigned query values. */
export const PLANTED = {
  authorization: 'OBS AKHOSTILE:HDR-SIG-SECRET',
  securityToken: 'HDR-TOKEN-SECRET',
  cookie: 'session=COOKIE-SECRET',
  query: '?AccessKeyId=AKHOSTILE&Expires=9999999999&Signature=QS-SIG-SECRET&x-obs-security-token=QS-TOKEN-SECRET',
} as const;

/** The texts that must never be printed. */
export const SECRETS: readonly string[] = ['HDR-SIG-SECRET', 'HDR-TOKEN-SECRET', 'COOKIE-SECRET', 'QS-SIG-SECRET', 'QS-TOKEN-SECRET'];

/** The planted headers, for a call's config. */
export function plantedHeaders(): Record<string, string> {
  return { Authorization: PLANTED.authorization, 'x-obs-security-token': PLANTED.securityToken, Cookie: PLANTED.cookie };
}

function attempt(print: () => string): string {
  try {
    return print();
  } catch (error) {
    return `<printing threw ${error instanceof Error ? error.name : typeof error}>`;
  }
}

/** Every printed form of `value`, by name. */
export function everyPrintedForm(value: unknown): Record<string, string> {
  const own = value !== null && typeof value === 'object' ? (value as { message?: unknown; stack?: unknown }) : {};
  let logForms: Record<string, string>;
  try {
    logForms = printedForms(value);
  } catch (error) {
    logForms = { logForms: `<printing threw ${error instanceof Error ? error.name : typeof error}>` };
  }
  return {
    ...logForms,
    message: typeof own.message === 'string' ? own.message : '',
    stack: typeof own.stack === 'string' ? own.stack : '',
    inspectHidden: attempt(() => util.inspect(value, { showHidden: true, depth: Infinity })),
  };
}

/** `label: <form> shows <secret>` for each secret found in a printed form of `value`. */
export function secretsShown(label: string, value: unknown): string[] {
  const found: string[] = [];
  for (const [form, text] of Object.entries(everyPrintedForm(value))) {
    for (const secret of SECRETS) if (text.includes(secret)) found.push(`${label}: ${form} shows ${secret}`);
  }
  return found;
}
