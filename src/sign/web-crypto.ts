/**
 * The hashing the signers need, on the Web Crypto API (`globalThis.crypto.subtle`:
 * Node ≥ 20 and browsers on secure pages), with no Node module and no Buffer.
 */

/** Web Crypto, or a clear error where it is missing (a browser page served over plain http). */
function subtle(): SubtleCrypto {
  const api = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (api === undefined) {
    throw new Error('obs-axios-policies/sign needs the Web Crypto API (crypto.subtle): Node 20+, or a browser page served over https');
  }
  return api;
}

/**
 * `true` when Web Crypto is there (the V4 signer then hashes bodies natively).
 * @example
 * ```ts
 * const hex = hasWebCrypto() ? await sha256Hex(bytes) : pureJsSha256(bytes);
 * ```
 */
export function hasWebCrypto(): boolean {
  return (globalThis as { crypto?: Crypto }).crypto?.subtle !== undefined;
}

/**
 * Standard base64 of bytes, without Buffer (`btoa` over a binary string).
 * @example
 * ```ts
 * toBase64(new Uint8Array([0xfb, 0xff])); // "+/8="
 * ```
 */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Lower-case hex of bytes.
 * @example
 * ```ts
 * toHex(new Uint8Array([0, 171])); // "00ab"
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/**
 * An HMAC-SHA1 key for `secret` (UTF-8), imported once and reused for every signature.
 * @example
 * ```ts
 * const key = await hmacSha1Key('my-secret');
 * ```
 */
export function hmacSha1Key(secret: string): Promise<CryptoKey> {
  return subtle().importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

/**
 * Base64 of HMAC-SHA1(key, UTF-8 of `text`): OBS's header signature.
 * @example
 * ```ts
 * await hmacSha1Base64(await hmacSha1Key('my-secret'), 'GET\n\n\nTue, 27 Mar 2007 19:36:42 +0000\n/bucket/key');
 * ```
 */
export async function hmacSha1Base64(key: CryptoKey, text: string): Promise<string> {
  const mac = await subtle().sign('HMAC', key, new TextEncoder().encode(text));
  return toBase64(new Uint8Array(mac));
}

/**
 * Lower-case hex SHA-256 of bytes, on Web Crypto.
 * @example
 * ```ts
 * await sha256Hex(new Uint8Array()); // "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const { buffer } = bytes;
  // Web Crypto takes no view of a SharedArrayBuffer: such bytes are copied first.
  const view = buffer instanceof ArrayBuffer ? new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength) : bytes.slice();
  return toHex(new Uint8Array(await subtle().digest('SHA-256', view)));
}
