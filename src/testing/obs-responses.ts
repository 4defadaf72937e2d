/**
 * The text the local OBS server writes: request ids, host ids, and XML/JSON
 * documents shaped like real OBS answers (single line, `standalone="yes"`, as
 * live OBS replies are; see design/obs-protocol-facts.md §1–2).
 */
import { randomBytes } from 'node:crypto';
import { OBS_ERROR_CODES } from '../catalog/error-codes.js';

/** The XML declaration OBS puts on every document. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** The owner id in listings: the server has a single, anonymous account. */
export const OWNER_ID = '0123456789ABCDEF0123456789ABCDEF';

/** The namespace OBS puts on success documents (clients must tolerate it). */
const OBS_XMLNS = 'http://obs.myhwclouds.com/doc/2015-06-30/';

const CATALOG: ReadonlyMap<string, { status: number; message: string }> = new Map(
  OBS_ERROR_CODES.map((row) => [row.code, { status: row.status, message: row.message }]),
);

/** The catalog status and message of a code; unknown codes get 500 and a generic message. */
export function catalogEntry(code: string): { status: number; message: string } {
  return CATALOG.get(code) ?? { status: 500, message: `Error ${code}.` };
}

/** A request id like OBS's: 32 upper-case hex characters (random, so unique per response in practice). */
export function newRequestId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** A host id like OBS's `x-obs-id-2` / `<HostId>`: 64 base64 characters. */
export function newHostId(): string {
  return randomBytes(48).toString('base64');
}

/** Escapes text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** One `<Name>value</Name>`, escaped. */
export function xmlElement(name: string, value: string | number): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}

/** Fields of an OBS error document. */
export interface ErrorBodyFields {
  /** `<Code>`. */
  code: string;
  /** `<Message>`. */
  message: string;
  /** `<RequestId>`: the same id as the `x-obs-request-id` header, as OBS does. */
  requestId: string;
  /** `<HostId>`. */
  hostId: string;
  /** `<BucketName>`, used when there is no key (or the code is about the bucket). */
  bucket?: string | undefined;
  /** `<Key>` for object requests. */
  key?: string | undefined;
  /** `<Endpoint>`: where a redirected bucket lives (S3-style 301 without Location). */
  endpoint?: string | undefined;
}

/** An OBS XML error document. */
export function errorXml(fields: ErrorBodyFields): string {
  const parts = [
    xmlElement('Code', fields.code),
    xmlElement('Message', fields.message),
    xmlElement('RequestId', fields.requestId),
    xmlElement('HostId', fields.hostId),
  ];
  if (fields.key !== undefined) parts.push(xmlElement('Key', fields.key));
  else if (fields.bucket !== undefined) parts.push(xmlElement('BucketName', fields.bucket));
  if (fields.endpoint !== undefined) parts.push(xmlElement('Endpoint', fields.endpoint));
  return `${XML_DECLARATION}<Error>${parts.join('')}</Error>`;
}

/** An OEF-style JSON error body `{"code","message","request_id"}`. */
export function errorJson(fields: ErrorBodyFields): string {
  return JSON.stringify({ code: fields.code, message: fields.message, request_id: fields.requestId });
}

/** A success document: `<Root xmlns=…>inner</Root>` with the declaration. */
export function successXml(root: string, inner: string): string {
  return `${XML_DECLARATION}<${root} xmlns="${OBS_XMLNS}">${inner}</${root}>`;
}
