/**
 * Which sub-resource requests the local OBS server models, and the 501 it
 * answers to the rest. A sub-resource is a query parameter that names an
 * operation (`?acl`, `?uploads`, `?versionId=…`), as opposed to one that only
 * shapes an answer (`prefix`, `marker`, `max-keys`, `delimiter`, `response-*`).
 * A request naming a sub-resource the server does not model must not fall
 * through to plain object or bucket CRUD (a `PUT ?acl` would overwrite the
 * object with the ACL document), so it is refused before the store is touched.
 */
import type { RecordedRequest } from './recorded-request.js';
import type { ErrorAnswer } from './steps.js';

/**
 * Sub-resource names of the OBS API reference (bucket and object operations,
 * POSIX and image extensions) and of S3 that OBS-compatible clients send.
 */
const SUB_RESOURCES: ReadonlySet<string> = new Set([
  // Bucket configuration and information.
  'acl', 'policy', 'cors', 'lifecycle', 'website', 'logging', 'notification', 'replication', 'encryption', 'tagging',
  'versioning', 'versions', 'location', 'storageinfo', 'quota', 'storagePolicy', 'storageClass', 'requestPayment',
  'customdomain', 'mirrorBackToSource', 'obscompresspolicy', 'object-lock', 'inventory', 'analytics', 'metrics',
  'accelerate', 'ownershipControls', 'publicAccessBlock', 'intelligent-tiering', 'deletebucket', 'CDNNotifyConfiguration',
  // Multi-object delete.
  'delete',
  // Multipart upload.
  'uploads', 'uploadId', 'partNumber',
  // Object operations besides plain CRUD.
  'append', 'position', 'restore', 'metadata', 'retention', 'legal-hold', 'torrent', 'attributes', 'select', 'select-type',
  'rename', 'truncate', 'modify', 'fetch', 'versionId', 'attname', 'x-image-process',
]);

/** Where in the namespace a request is addressed. */
type Level = 'service' | 'bucket' | 'object';

/** The sub-resource sets the server models, by level and method (names sorted); any other set is refused. */
const MODELLED: Readonly<Record<string, readonly string[]>> = {
  'object GET': ['uploadId', 'versionId'],
  'object HEAD': ['versionId'],
  'object PUT': ['partNumber,uploadId'],
  'object POST': ['uploads', 'uploadId', 'append', 'append,position'],
  'object DELETE': ['uploadId'],
  'bucket GET': ['uploads'],
};

function levelOf(request: Pick<RecordedRequest, 'bucket' | 'key'>): Level {
  if (request.bucket === '') return 'service';
  return request.key === '' ? 'bucket' : 'object';
}

/** The sub-resource names in a query, sorted and without repeats. */
function subResourcesOf(query: URLSearchParams): string[] {
  return [...new Set([...query.keys()].filter((name) => SUB_RESOURCES.has(name)))].sort();
}

function notImplemented(request: Pick<RecordedRequest, 'method'>, level: Level, names: readonly string[], why: string): ErrorAnswer {
  const shown = names.map((name) => `?${name}`).join(', ');
  return {
    error: 'NotImplemented',
    message: `The local OBS server does not model ${shown} on ${request.method} ${level} requests (${why}); nothing was changed.`,
  };
}

/**
 * The 501 NotImplemented answer for a request naming sub-resources the server
 * does not model, or `undefined` when it models them (or there are none).
 * `versionId` is modelled on reads only as `null`: the server keeps one
 * version of each object, which is what OBS calls the `null` version.
 */
export function subResourceRefusal(request: Pick<RecordedRequest, 'method' | 'bucket' | 'key' | 'query'>): ErrorAnswer | undefined {
  const names = subResourcesOf(request.query);
  if (names.length === 0) return undefined;
  const level = levelOf(request);
  const modelled = MODELLED[`${level} ${request.method}`] ?? [];
  if (!modelled.includes(names.join(','))) return notImplemented(request, level, names, 'not modelled');
  const versionId = request.query.get('versionId');
  if (versionId !== null && versionId !== 'null') return notImplemented(request, level, ['versionId'], 'it keeps one version of each object, versionId=null');
  return undefined;
}
