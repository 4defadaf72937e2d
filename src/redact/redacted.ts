/** The marker that stands in for every redacted value. */

/** What a redacted value is replaced with. */
export const REDACTED = '[REDACTED]';
