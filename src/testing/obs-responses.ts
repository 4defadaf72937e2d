/**
 * What the local OBS server writes: request ids, host ids, XML error bodies
 * shaped like real OBS answers, and the helpers for broken bodies.
 */
import { randomBytes } from 'node:crypto';
import { OBS_ERROR_CODES } from '../catalog/error-codes.js';

const MESSAGES: ReadonlyMap<string, { status: number; message: string }> = new Map(
  OBS_ERROR_CODES.map((row) => [row.code, { status: row.status, message: row.message }]),
);

/** The catalog status and message of a code (500 / a generic message for unknown codes). */
export function catalogEntry(code: string): { status: number; message: string } {
  return MESSAGES.get(code) ?? { status: 500, message: `Error ${code}.` };
}

/** A request id like OBS's: 32 upper-case hex characters. */
export function newRequestId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** A host id like OBS's `x-obs-id-2`: 64 base64 characters. */
export function newHostId(): string {
  return randomBytes(48).toString('base64');
}

/** Escapes text for an XML element. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Fields of an OBS XML error body. */
export interface ErrorBodyFields {
  code: string;
  message: string;
  requestId: string;
  hostId: string;
  bucket?: string | undefined;
  key?: string | undefined;
  endpoint?: string | undefined;
}

/** An OBS error document, single-line, `standalone="yes"`, as OBS sends it. */
export function errorXml(fields: ErrorBodyFields): string {
  const parts = [
    `<Code>${xmlEscape(fields.code)}</Code>`,
    `<Message>${xmlEscape(fields.message)}</Message>`,
    `<RequestId>${fields.requestId}</RequestId>`,
    `<HostId>${fields.hostId}</HostId>`,
  ];
  if (fields.key !== undefined) parts.push(`<Key>${xmlEscape(fields.key)}</Key>`);
  else if (fields.bucket !== undefined) parts.push(`<BucketName>${xmlEscape(fields.bucket)}</BucketName>`);
  if (fields.endpoint !== undefined) parts.push(`<Endpoint>${xmlEscape(fields.endpoint)}</Endpoint>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Error>${parts.join('')}</Error>`;
}

/** An OEF-style JSON error body. */
export function errorJson(fields: ErrorBodyFields): string {
  return JSON.stringify({ code: fields.code, message: fields.message, request_id: fields.requestId });
}

