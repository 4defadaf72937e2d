/**
 * Whether a body is an OBS/S3 `<Error>` document: its root element (the first
 * element, after an optional BOM, XML declaration, comments and whitespace) is
 * `Error`. Only the root counts: DeleteObjects' `<DeleteResult>` lists per-key
 * `<Error>` entries inside a successful answer, and an object's own bytes may
 * mention `<Error>` anywhere.
 *
 * Leading whitespace is skipped without a bound: CompleteMultipartUpload sends
 * its 200 head at once and then whitespace, to keep the connection open while it
 * works, before the result or the `<Error>`; the body is already in memory, and
 * skipping it costs one pass.
 */
import { bodyToText } from './body-text.js';

/** How much text after the leading whitespace is decoded to find the root (declaration, comments, then the root's name). */
const ROOT_WINDOW_BYTES = 1024;

/** An optional declaration, comments and whitespace, then an `Error` element, namespaced or not. */
const ERROR_ROOT = /^(?:<\?xml[^>]*\?>)?(?:\s|<!--[\s\S]*?-->)*<(?:[A-Za-z0-9_.-]+:)?Error[\s>/]/;

const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function isSpaceByte(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}

function isSpaceChar(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** The bytes of `body` when it is binary (Buffer, typed array, DataView, ArrayBuffer), else `undefined`. */
function bytesOf(body: unknown): Uint8Array | undefined {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

/** The first bytes of `bytes` after a UTF-8 BOM and whitespace. */
function afterLeadingSpace(bytes: Uint8Array): Uint8Array {
  let start = bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
  while (start < bytes.length && isSpaceByte(bytes[start])) start++;
  return bytes.subarray(start, start + ROOT_WINDOW_BYTES);
}

/**
 * @param body a response body as axios gives it, or the bytes read from a stream or Blob
 * @returns true when the body's root element is `<Error>`; false for anything else,
 *   including bodies that are not text (streams, Blobs, parsed objects)
 */
export function hasErrorRoot(body: unknown): boolean {
  let head: string | undefined;
  if (typeof body === 'string') {
    let start = body.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (start < body.length && isSpaceChar(body.charCodeAt(start))) start++;
    head = body.slice(start, start + ROOT_WINDOW_BYTES);
  } else {
    const bytes = bytesOf(body);
    if (bytes === undefined) return false;
    head = bodyToText(afterLeadingSpace(bytes), ROOT_WINDOW_BYTES);
  }
  return head !== undefined && ERROR_ROOT.test(head);
}
