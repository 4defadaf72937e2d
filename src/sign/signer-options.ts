/**
 * Checks of the signers' options, done once when the signer is made, so a
 * missing credential fails at start-up rather than as a 403 on every call.
 * Messages name the field, never its value.
 */

/**
 * `value` when it is a non-empty string; otherwise a TypeError naming the signer and the field.
 * @example
 * ```ts
 * requireText(process.env.OBS_AK, 'obsSigner', 'accessKeyId'); // the AK, or throws
 * ```
 */
export function requireText(value: unknown, signer: string, field: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${signer}: "${field}" must be a non-empty string`);
  }
  return value;
}
