/**
 * The operation class of a request, the unit OBS limits request rates by
 * (per account, per kind of operation): `list`, `read`, `write` or `other`.
 * The pace is kept per endpoint and class, so a throttled listing does not
 * slow the reads and writes of the same endpoint.
 *
 * Read off the method and the URL string by one scan (no `URL` parsing), the
 * way OBS (like S3) names its operations:
 *
 * - `list`: GET on a bucket root (ListObjects, `?list-type=2`, `?versions`,
 *   `?uploads`) with no other sub-resource, and GET of an object with
 *   `?uploadId` (ListParts);
 * - `read`: GET or HEAD of an object (`versionId`, `response-*` and the like
 *   do not change it);
 * - `write`: PUT, POST or DELETE of an object, multipart parts, copies, appends
 *   and completions included; POST on a bucket root without a sub-resource
 *   (a form upload) or with `?delete` (deleting many objects);
 * - `other`: everything else: the service root, bucket-level PUT, DELETE, HEAD
 *   and sub-resources (`?acl`, `?policy`, `?location`, …), object
 *   sub-resources such as `?acl` or `?tagging`, OPTIONS and any other method.
 *
 * Whether the bucket is in the host or in the path is `isPathStyleHost`'s
 * answer. Query parameters that authenticate a request (`X-Amz-*`, `x-obs-*`,
 * `AccessKeyId`, `Signature`, `Expires`) never change its class. Pure; never
 * throws.
 */
import type { OperationClass } from '../reporting/events.js';
import { isPathStyleHost } from '../redirect/path-style-host.js';

/** A kind of operation, as OBS limits request rates. */
export type { OperationClass };

/** Every operation class. */
export const OPERATION_CLASSES: readonly OperationClass[] = Object.freeze(['read', 'write', 'list', 'other'] as const);

/** Query parameters of a bucket listing (ListObjects v1 and v2, ListObjectVersions, ListMultipartUploads). */
const LISTING_PARAMS: ReadonlySet<string> = new Set([
  'prefix', 'marker', 'max-keys', 'delimiter', 'encoding-type', 'list-type', 'continuation-token', 'start-after', 'fetch-owner',
  'versions', 'key-marker', 'version-id-marker', 'uploads', 'upload-id-marker', 'max-uploads',
]);

/** Object sub-resources that make a request to an object an `other` operation (its settings, not its data). */
const OBJECT_SETTINGS: ReadonlySet<string> = new Set(['acl', 'tagging', 'torrent', 'restore', 'metadata', 'retention', 'legal-hold', 'attributes', 'policy']);

/** Query parameters that authenticate or tag a request without naming an operation (checked in lower case). */
const NEUTRAL_PARAMS: ReadonlySet<string> = new Set(['accesskeyid', 'signature', 'expires', 'x-id']);

const SLASH = 47;
const QUESTION = 63;
const HASH = 35;
const AT = 64;
const COLON = 58;

/** True for a parameter that authenticates (`X-Amz-Signature`, `x-obs-security-token`, `AccessKeyId`, …). */
function isNeutral(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('x-amz-') || lower.startsWith('x-obs-') || NEUTRAL_PARAMS.has(lower);
}

/** A parameter name as written, percent-decoded when it is encoded (raw when the encoding is broken). */
function paramName(query: string, start: number, end: number): string {
  const raw = query.slice(start, end);
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** What the query of a request names. */
interface QueryNames {
  /** A parameter that is neither a listing parameter nor neutral (a bucket sub-resource). */
  notListing: boolean;
  /** An object sub-resource of `OBJECT_SETTINGS`. */
  objectSetting: boolean;
  /** `uploadId` (a multipart upload: ListParts when read). */
  uploadId: boolean;
  /** A parameter that is neither `delete` (a bucket POST that deletes many objects) nor neutral. */
  notDelete: boolean;
}

/** Notes one parameter name in `names`. */
function note(names: QueryNames, name: string): void {
  if (name === '' || isNeutral(name)) return;
  if (!LISTING_PARAMS.has(name)) names.notListing = true;
  if (name !== 'delete') names.notDelete = true;
  if (OBJECT_SETTINGS.has(name)) names.objectSetting = true;
  else if (name === 'uploadId') names.uploadId = true;
}

/** Notes the parameter names of the query `href[from, to)` (after `?`, before `#`). */
function noteQuery(names: QueryNames, href: string, from: number, to: number): void {
  for (let start = from; start < to; ) {
    let end = href.indexOf('&', start);
    if (end < 0 || end > to) end = to;
    let nameEnd = href.indexOf('=', start);
    if (nameEnd < 0 || nameEnd > end) nameEnd = end;
    if (nameEnd > start) note(names, paramName(href, start, nameEnd));
    start = end + 1;
  }
}

/**
 * Notes the names of axios's `params` that go on the wire: the keys of a plain object whose value is
 * neither `null` nor `undefined` (axios drops those), or the names of a `URLSearchParams`. Anything
 * else, or an object whose keys cannot be read, adds nothing.
 */
function noteParams(names: QueryNames, params: unknown): void {
  if (params === null || typeof params !== 'object') return;
  try {
    if (params instanceof URLSearchParams) {
      for (const name of params.keys()) note(names, name);
      return;
    }
    const record = params as Record<string, unknown>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      if (value !== undefined && value !== null) note(names, name);
    }
  } catch {
    // A proxy or getter that throws: its names stay unknown, the URL's still count.
  }
}

/**
 * The last `scheme://authority` read and whether its host is path style. A client's requests nearly
 * always go to one endpoint, so the next URL usually starts with it and its host is not read again.
 */
let lastAuthority = '';
let lastPathStyle = true;

/** Whether the host of `href` (authority `href[host, end)`) is path style, remembered for the next URL. */
function pathStyleOf(href: string, host: number, end: number): boolean {
  if (end === lastAuthority.length && href.startsWith(lastAuthority)) return lastPathStyle;
  const pathStyle = isPathStyleHost(hostnameOf(href, host, end));
  lastAuthority = href.slice(0, end);
  lastPathStyle = pathStyle;
  return pathStyle;
}

/** Methods as axios's callers write them, upper case already. */
const UPPER_VERBS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'POST', 'DELETE']);

/** What a request addresses: the service root, a bucket root, or an object. */
type Addressed = 'service' | 'bucket' | 'object';

/** Where the host starts in `href` (after `scheme://`), or -1 when it has no authority. */
function hostStart(href: string): number {
  const scheme = href.indexOf('://');
  if (scheme < 0) return -1;
  // A scheme is letters, digits, `+`, `-`, `.`: a `://` after a `/`, `?` or `#` is inside the path or query.
  for (let i = 0; i < scheme; i++) {
    const code = href.charCodeAt(i);
    if (code === SLASH || code === QUESTION || code === HASH) return -1;
  }
  return scheme + 3;
}

/** The hostname of an authority (`user@host:port` → `host`; `[::1]:80` → `[::1]`). */
function hostnameOf(href: string, start: number, end: number): string {
  let from = start;
  for (let i = end - 1; i >= start; i--) {
    if (href.charCodeAt(i) === AT) {
      from = i + 1;
      break;
    }
  }
  if (href.charCodeAt(from) === 91) {
    const close = href.indexOf(']', from);
    return href.slice(from, close < 0 || close >= end ? end : close + 1);
  }
  let to = end;
  for (let i = end - 1; i > from; i--) {
    const code = href.charCodeAt(i);
    if (code === COLON) {
      to = i;
      break;
    }
    if (code < 48 || code > 57) break;
  }
  return href.slice(from, to);
}

/** What the path `href[from, to)` addresses, path style or virtual-hosted. */
function addressed(href: string, from: number, to: number, pathStyle: boolean): Addressed {
  // Skip the leading slash (an empty path is the root).
  const start = from < to && href.charCodeAt(from) === SLASH ? from + 1 : from;
  if (!pathStyle) return start >= to ? 'bucket' : 'object';
  if (start >= to) return 'service';
  const slash = href.indexOf('/', start);
  if (slash === start) return 'service';
  // `/bucket` and `/bucket/` are the bucket; anything after its slash is a key.
  return slash < 0 || slash >= to - 1 ? 'bucket' : 'object';
}

/**
 * The operation class of a request.
 * @param method the HTTP method, any case (`undefined`: GET, as axios sends it)
 * @param href the absolute URL the request goes to (a relative one is read as path style)
 * @param params axios's `params` of the request, when they are added to `href` on sending
 * @example
 * ```ts
 * operationClassOf('GET', 'http://127.0.0.1:9000/photos?list-type=2'); // 'list'
 * operationClassOf('GET', 'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg'); // 'read'
 * operationClassOf('PUT', 'https://photos.obs.cn-north-4.myhuaweicloud.com/cat.jpg?partNumber=2&uploadId=u1'); // 'write'
 * operationClassOf('PUT', 'https://photos.obs.cn-north-4.myhuaweicloud.com/?acl'); // 'other'
 * ```
 */
export function operationClassOf(method: string | undefined, href: string, params?: unknown): OperationClass {
  const verb = method === undefined ? 'GET' : UPPER_VERBS.has(method) ? method : method.toUpperCase();
  if (!UPPER_VERBS.has(verb)) return 'other';
  const host = hostStart(href);
  let pathStart = host < 0 ? 0 : href.length;
  let pathStyle = true;
  if (host >= 0) {
    for (let i = host; i < href.length; i++) {
      const code = href.charCodeAt(i);
      if (code === SLASH || code === QUESTION || code === HASH) {
        pathStart = i;
        break;
      }
    }
    pathStyle = pathStyleOf(href, host, pathStart);
  }
  let hash = href.indexOf('#', pathStart);
  if (hash < 0) hash = href.length;
  let question = href.indexOf('?', pathStart);
  if (question < 0 || question > hash) question = hash;
  const target = addressed(href, pathStart, question, pathStyle);
  if (target === 'service') return 'other';
  const names: QueryNames = { notListing: false, objectSetting: false, uploadId: false, notDelete: false };
  if (question < hash) noteQuery(names, href, question + 1, hash);
  if (params !== undefined) noteParams(names, params);
  if (target === 'bucket') {
    if (verb === 'GET') return names.notListing ? 'other' : 'list';
    // A form upload (no sub-resource) or a multi-object delete (`?delete`) writes objects.
    if (verb === 'POST') return names.notDelete ? 'other' : 'write';
    return 'other';
  }
  if (names.objectSetting) return 'other';
  if (verb === 'GET') return names.uploadId ? 'list' : 'read';
  return verb === 'HEAD' ? 'read' : 'write';
}
