/**
 * The request body as a signer sees it, settled so every adapter sends what
 * was signed. The adapters add headers of their own after the sign hook:
 * `fetch` gives a string body `Content-Type: text/plain;charset=UTF-8`, the
 * http adapter sends a Blob with its own type whatever the headers say, the
 * XHR adapter drops `Content-Type` when there is no body. Settling first makes
 * those choices explicit, so the signed `Content-Type` is the one on the wire.
 */
import type { InternalAxiosRequestConfig } from 'axios';

/**
 * What the body is, for the payload hash: its bytes, nothing, or a body that is not read (stream, Blob).
 * @example
 * ```ts
 * const body = settleBody(config);
 * const hash = body.kind === 'bytes' ? await sha256Hex(body.bytes) : body.kind === 'none' ? EMPTY_SHA256 : 'UNSIGNED-PAYLOAD';
 * ```
 */
export type SettledBody = { kind: 'none' } | { kind: 'bytes'; bytes: Uint8Array } | { kind: 'unread' };

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== 'undefined' && value instanceof Blob;
}

function isFormData(value: unknown): boolean {
  return typeof FormData !== 'undefined' && value instanceof FormData;
}

/** `bytes` as an ArrayBuffer of exactly its length (the form every adapter sends as is). */
function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength ? buffer : bytes.slice().buffer;
}

/**
 * Settles the body of `config` before signing:
 * - no body (`undefined`/`null`): `Content-Type` is removed (the XHR adapter would drop it);
 * - a string: encoded to UTF-8 bytes (an ArrayBuffer), so no adapter adds a `Content-Type`;
 * - an ArrayBuffer or a view (Buffer, Uint8Array…): sent as is, its bytes hashed;
 * - a non-empty Blob: `Content-Type` set to its type (or `application/octet-stream`), as the
 *   http adapter sends it whatever the headers said;
 * - a stream or anything else: sent as is, not read.
 * @throws TypeError for FormData (the adapter writes its multipart `Content-Type` after signing)
 * @example
 * ```ts
 * const config = { method: 'put', data: 'meow', headers: new AxiosHeaders() } as InternalAxiosRequestConfig;
 * settleBody(config); // { kind: 'bytes', bytes: Uint8Array [109, 101, 111, 119] }, config.data is now an ArrayBuffer
 * ```
 */
export function settleBody(config: InternalAxiosRequestConfig): SettledBody {
  const data: unknown = config.data;
  const headers = config.headers;
  if (data === undefined || data === null) {
    headers.delete('Content-Type');
    return { kind: 'none' };
  }
  if (typeof data === 'string') {
    const bytes = new TextEncoder().encode(data);
    config.data = exactBuffer(bytes);
    return { kind: 'bytes', bytes };
  }
  if (data instanceof ArrayBuffer) return { kind: 'bytes', bytes: new Uint8Array(data) };
  if (ArrayBuffer.isView(data)) return { kind: 'bytes', bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  if (isFormData(data)) {
    throw new TypeError('obs-axios-policies/sign: a FormData body cannot be signed (its multipart Content-Type is written after signing); send the bytes instead');
  }
  // axios's http adapter sends a non-empty Blob with its own type whatever the headers say; say it before signing.
  if (isBlob(data) && data.size > 0) headers.set('Content-Type', data.type === '' ? 'application/octet-stream' : data.type);
  return { kind: 'unread' };
}
