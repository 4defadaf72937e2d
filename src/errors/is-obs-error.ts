/**
 * isObsError: a brand check rather than `instanceof`, so it holds for an
 * ObsError made by the other build (ESM vs CJS) or another copy of the package.
 */
import { OBS_ERROR_BRAND, type ObsError } from './obs-error.js';

/**
 * True for any `ObsError` (or `CircuitOpenError`), whichever copy of the package
 * made it; `instanceof` fails across the ESM and CommonJS builds.
 *
 * @example
 * ```ts
 * const photo = await client.get('/photos/cat.jpg').catch((err: unknown) => {
 *   if (isObsError(err) && err.obsCode === 'NoSuchKey') return undefined; // absent is an answer here
 *   throw err;
 * });
 * ```
 */
export function isObsError(value: unknown): value is ObsError {
  if (value === null || typeof value !== 'object') return false;
  const candidate = value as Record<PropertyKey, unknown>;
  return candidate[OBS_ERROR_BRAND] === true || (candidate.isObsError === true && typeof candidate.obsCode === 'string');
}
