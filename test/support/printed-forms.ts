/**
 * Every ordinary way a user prints an error or an event payload, as text: the
 * secret-leak tests assert that none of them shows a credential.
 */
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import util from 'node:util';
import pino from 'pino';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

/** The printed forms of `value`, by name: String, JSON, util.inspect (default and deep), %O, console.error, pino. */
export function printedForms(value: unknown): Record<string, string> {
  const consoleOut = collector();
  new Console({ stdout: consoleOut.stream, stderr: consoleOut.stream }).error(value);
  const pinoOut = collector();
  const logger = pino({ level: 'info' }, pinoOut.stream);
  // pino serialises the `err` key with its error serializer (down the cause chain), other keys as JSON.
  logger.error({ err: value }, 'call failed');
  logger.error({ payload: value }, 'event');
  return {
    String: String(value),
    JSON: JSON.stringify(value),
    inspect: util.inspect(value),
    inspectDeep: util.inspect(value, { depth: Infinity }),
    formatO: util.format('%O', value),
    consoleError: consoleOut.text(),
    pino: pinoOut.text(),
  };
}

/** The forms (by name) of `value` that contain any of `secrets`, with the secret found. */
export function leaks(value: unknown, secrets: readonly string[]): string[] {
  const found: string[] = [];
  for (const [form, text] of Object.entries(printedForms(value))) {
    for (const secret of secrets) if (text.includes(secret)) found.push(`${form} shows ${secret}`);
  }
  return found;
}
