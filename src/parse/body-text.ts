/**
 * Turns whatever axios put in `response.data` into a bounded string, so that
 * a 50 MB error body or a hostile payload costs at most `maxBytes` of work.
 */

/** How much of an error body is ever decoded and parsed. OBS error bodies are well under 4 KiB. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

const BOM = '\uFEFF';

/**
 * UTF-8, invalid sequences replaced (as `Buffer#toString('utf8')` does), a leading BOM kept
 * so `bodyToText` removes it in one place. `TextDecoder` rather than `Buffer`: the main
 * entry must bundle for browsers without a Buffer polyfill.
 */
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

function decode(bytes: Uint8Array, maxBytes: number): string {
  return UTF8.decode(bytes.byteLength > maxBytes ? bytes.subarray(0, maxBytes) : bytes);
}

/**
 * @returns the body as text (BOM removed, at most `maxBytes` worth), or `undefined`
 * when it is not text-like (a stream, an object, nothing).
 */
export function bodyToText(body: unknown, maxBytes: number = MAX_ERROR_BODY_BYTES): string | undefined {
  let text: string | undefined;
  if (typeof body === 'string') {
    text = body.length > maxBytes ? body.slice(0, maxBytes) : body;
  } else if (body instanceof Uint8Array) {
    text = decode(body, maxBytes);
  } else if (body instanceof ArrayBuffer) {
    text = decode(new Uint8Array(body), maxBytes);
  } else if (ArrayBuffer.isView(body)) {
    text = decode(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), maxBytes);
  }
  if (text === undefined) return undefined;
  return text.startsWith(BOM) ? text.slice(1) : text;
}
