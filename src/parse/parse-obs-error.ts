/**
 * parseObsError: an OBS error body (XML, OEF JSON, or already parsed) plus
 * headers → the OBS identity of the error. Pure, bounded, never throws.
 */
import { bodyToText, MAX_ERROR_BODY_BYTES } from './body-text.js';
import { readFirstHeader, type HeaderSource } from './headers.js';
import { readXml } from './xml-reader.js';

/** What an OBS error says about itself. */
export interface ParsedObsError {
  /** The OBS error code, e.g. `NoSuchKey`. */
  code: string;
  /** The server's message (wording varies: never classify on it). */
  message: string | undefined;
  /** `<RequestId>` (or `request_id`), else the `x-obs-request-id` header; quote it to OBS support. */
  requestId: string | undefined;
  /** `<HostId>` of the body, else the `x-obs-id-2` header (on OBS the two differ). */
  hostId: string | undefined;
  /** The `x-obs-id-2` (or `x-amz-id-2`) header, as sent. */
  id2?: string | undefined;
  /** The bucket or object the error is about (`<Resource>`, `<Key>` or `<BucketName>`). */
  resource?: string | undefined;
  /** `<Endpoint>` of a redirect error: where the bucket lives now. */
  endpoint?: string | undefined;
}

/** Header names, OBS first, then the S3-compatible twin. */
const REQUEST_ID_HEADERS = ['x-obs-request-id', 'x-amz-request-id'] as const;
const HOST_ID_HEADERS = ['x-obs-id-2', 'x-amz-id-2'] as const;
const CODE_HEADERS = ['x-obs-error-code', 'x-amz-error-code'] as const;
const MESSAGE_HEADERS = ['x-obs-error-message', 'x-amz-error-message'] as const;

/** Field values longer than this are cut: an error field is never legitimately huge. */
const MAX_FIELD_LENGTH = 4096;
/**
 * What passes for a code: any short text without markup or line breaks. Codes are
 * reported as sent (trimmed), even odd ones: the seed table itself spells
 * `IncorrectNumberOfFilesInPost Request` with a space. At least one letter: a bare
 * number (`"code": 401` in some gateway JSON) is a status, not a code.
 */
const CODE_PATTERN = /^(?=[^]*[A-Za-z])[^<>\r\n]{1,128}$/;

/** The code as sent, trimmed, or undefined when it is not code-like. */
function asCode(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed !== undefined && CODE_PATTERN.test(trimmed) ? trimmed : undefined;
}

type Fields = Record<string, unknown>;
/** Body fields before validation: any of them may be missing. */
type BodyFields = { [K in keyof ParsedObsError]?: string | undefined };

function asFields(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : undefined;
}

/** Reads a scalar field; repeated tags give arrays, nested tags objects: take the first string. */
function field(fields: Fields, ...names: string[]): string | undefined {
  for (const name of names) {
    if (!Object.hasOwn(fields, name)) continue;
    let value = fields[name];
    if (Array.isArray(value)) value = value[0];
    if (typeof value === 'number') value = String(value);
    if (typeof value === 'string' && value !== '') {
      return value.length > MAX_FIELD_LENGTH ? value.slice(0, MAX_FIELD_LENGTH) : value;
    }
  }
  return undefined;
}

/** Finds the `Error` element (S3/OBS XML), or treats the object itself as one. */
function errorFields(doc: Fields): Fields {
  return asFields(doc.Error) ?? doc;
}

function fromFields(fields: Fields): BodyFields {
  return {
    // XML (Code…), OEF JSON (code…), and Huawei API-gateway JSON (error_code…).
    code: field(fields, 'Code', 'code', 'error_code'),
    message: field(fields, 'Message', 'message', 'error_msg'),
    requestId: field(fields, 'RequestId', 'request_id', 'requestId', 'RequestID'),
    hostId: field(fields, 'HostId', 'host_id', 'hostId'),
    resource: field(fields, 'Resource', 'Key', 'BucketName', 'Bucket'),
    endpoint: field(fields, 'Endpoint'),
  };
}

/** Last resort for XML the parser refused (reserved tag names, nesting bombs): read the simple tags. */
function fromRegex(text: string): BodyFields {
  const tag = (name: string): string | undefined => {
    const match = new RegExp(`<${name}>([^<]{1,${MAX_FIELD_LENGTH}})</${name}>`).exec(text);
    const value = match?.[1]?.trim();
    return value === '' ? undefined : value;
  };
  return { code: tag('Code'), message: tag('Message'), requestId: tag('RequestId'), hostId: tag('HostId'), endpoint: tag('Endpoint') };
}

function fromText(text: string): BodyFields | undefined {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      const json = asFields(JSON.parse(trimmed));
      return json ? fromFields(errorFields(json)) : undefined;
    } catch {
      return undefined;
    }
  }
  if (!trimmed.startsWith('<')) return undefined;
  const doc = readXml(trimmed);
  const parsed = doc ? fromFields(errorFields(doc)) : undefined;
  return parsed?.code !== undefined ? parsed : fromRegex(trimmed);
}

function fromBody(body: unknown): BodyFields | undefined {
  const text = bodyToText(body, MAX_ERROR_BODY_BYTES);
  if (text !== undefined) return fromText(text);
  const object = asFields(body);
  // Streams and other live objects are not bodies we can read here.
  if (!object || typeof (object as { pipe?: unknown }).pipe === 'function') return undefined;
  return fromFields(errorFields(object));
}

/**
 * Parses an OBS error body and headers.
 *
 * Accepts XML text (with or without BOM, declaration, namespaces), OEF JSON text
 * `{"code","message","request_id"}`, a `Buffer`/`ArrayBuffer`/typed array of either,
 * or an already-parsed object (`{ Error: { Code, … } }` or `{ Code, … }`).
 * Headers (plain object or `AxiosHeaders`) supply `x-obs-error-code` /
 * `x-obs-error-message` for bodiless HEAD errors and the request ids
 * (`x-obs-request-id`, `x-obs-id-2`, or their `x-amz-*` twins); body ids win
 * over header ids (`id2` is always the header), body codes over header codes.
 *
 * Only the first 64 KiB of a body are read; DOCTYPE entities are never expanded.
 *
 * @returns the parsed error, or `undefined` when nothing OBS-shaped is there
 *   (HTML from a load balancer, an empty or malformed body). Never throws.
 * @example
 * parseObsError('<Error><Code>NoSuchKey</Code></Error>', { 'x-obs-request-id': '0000…' })
 * // → { code: 'NoSuchKey', message: undefined, requestId: '0000…', hostId: undefined }
 */
export function parseObsError(body: unknown, headers?: HeaderSource): ParsedObsError | undefined {
  let fromBodyFields: BodyFields | undefined;
  try {
    fromBodyFields = fromBody(body);
  } catch {
    fromBodyFields = undefined;
  }
  const code = asCode(fromBodyFields?.code) ?? asCode(readFirstHeader(headers, CODE_HEADERS));
  if (code === undefined) return undefined;
  const id2 = readFirstHeader(headers, HOST_ID_HEADERS);
  const parsed: ParsedObsError = {
    code,
    message: fromBodyFields?.message ?? readFirstHeader(headers, MESSAGE_HEADERS),
    requestId: fromBodyFields?.requestId ?? readFirstHeader(headers, REQUEST_ID_HEADERS),
    hostId: fromBodyFields?.hostId ?? id2,
  };
  if (id2 !== undefined) parsed.id2 = id2;
  if (fromBodyFields?.resource !== undefined) parsed.resource = fromBodyFields.resource;
  if (fromBodyFields?.endpoint !== undefined) parsed.endpoint = fromBodyFields.endpoint;
  return parsed;
}
