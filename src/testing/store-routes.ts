/**
 * The local OBS server's behaviour when no step or scenario decides: refuses
 * what it does not model, then routes a request to the service, bucket, object
 * or multipart answer on the in-memory store.
 */
import { contentMd5Refusal } from './content-md5.js';
import { listUploads } from './multipart-listings.js';
import { serveMultipart, type MultipartOptions } from './multipart-routes.js';
import type { ObjectStore } from './object-store.js';
import { appendObject, deleteObject, readObject, writeObject } from './object-routes.js';
import { OWNER_ID, successXml, xmlElement } from './obs-responses.js';
import type { RecordedRequest } from './recorded-request.js';
import { errorReply, okReply, type Reply } from './reply.js';
import { subResourceRefusal } from './sub-resources.js';

/** Options of the default answers. */
export interface StoreRouteOptions extends MultipartOptions {
  /** Create a missing bucket on the first PUT/POST of an object into it (else 404 NoSuchBucket). */
  autoCreateBuckets: boolean;
}

/** GET on the service root: every bucket. */
function listBuckets(store: ObjectStore): Reply {
  const buckets = store
    .listBuckets()
    .map((b) => `<Bucket>${xmlElement('Name', b.name)}${xmlElement('CreationDate', b.createdAt.toISOString())}</Bucket>`)
    .join('');
  return okReply(200, successXml('ListAllMyBucketsResult', `<Owner>${xmlElement('ID', OWNER_ID)}</Owner><Buckets>${buckets}</Buckets>`));
}

/** GET bucket: a single-page `ListBucketResult`, honouring `prefix`. */
function listObjects(store: ObjectStore, request: RecordedRequest): Reply {
  const prefix = request.query.get('prefix') ?? '';
  const objects = store.listObjects(request.bucket, prefix);
  if (objects === undefined) return errorReply({ error: 'NoSuchBucket' }, request);
  const contents = objects
    .map(
      ([key, o]) =>
        `<Contents>${xmlElement('Key', key)}${xmlElement('LastModified', o.lastModified.toISOString())}${xmlElement('ETag', o.etag)}` +
        `${xmlElement('Size', o.body.length)}${xmlElement('StorageClass', 'STANDARD')}</Contents>`,
    )
    .join('');
  const head = `${xmlElement('Name', request.bucket)}${xmlElement('Prefix', prefix)}<Marker></Marker>${xmlElement('MaxKeys', 1000)}<IsTruncated>false</IsTruncated>`;
  return okReply(200, successXml('ListBucketResult', head + contents));
}

/**
 * Bucket-level requests: PUT creates (idempotent), GET lists objects (or, with
 * `?uploads`, multipart uploads), HEAD checks, DELETE removes an empty bucket.
 */
function serveBucket(store: ObjectStore, request: RecordedRequest): Reply {
  switch (request.method) {
    case 'PUT':
      store.createBucket(request.bucket);
      return okReply(200, '', { location: `/${request.bucket}` });
    case 'GET':
      return request.query.has('uploads') ? listUploads(store, request) : listObjects(store, request);
    case 'HEAD':
      return store.hasBucket(request.bucket) ? okReply(200) : errorReply({ error: 'NoSuchBucket' }, request);
    case 'DELETE': {
      const outcome = store.deleteBucket(request.bucket);
      if (outcome === 'deleted') return okReply(204);
      return errorReply({ error: outcome === 'missing' ? 'NoSuchBucket' : 'BucketNotEmpty' }, request);
    }
    default:
      return errorReply({ error: 'MethodNotAllowed' }, request);
  }
}

/** Object-level requests: multipart first, then plain CRUD and append. */
function serveObject(store: ObjectStore, request: RecordedRequest, options: StoreRouteOptions): Reply {
  const { method } = request;
  // Parts, listings, completions and aborts of an upload never create its bucket.
  const creates = (method === 'PUT' || method === 'POST') && !request.query.has('uploadId');
  if (!store.hasBucket(request.bucket)) {
    if (!(creates && options.autoCreateBuckets)) return errorReply({ error: 'NoSuchBucket' }, request);
    store.createBucket(request.bucket);
  }
  const multipart = serveMultipart(store, request, options);
  if (multipart !== undefined) return multipart;
  switch (method) {
    case 'GET':
    case 'HEAD':
      return readObject(store, request);
    case 'PUT':
      return writeObject(store, request);
    case 'DELETE':
      return deleteObject(store, request);
    case 'POST':
      // A POST to an object is an append or a multipart request; OBS refuses a bare one.
      return request.query.has('append') ? appendObject(store, request) : errorReply({ error: 'MethodNotAllowed' }, request);
    default:
      return errorReply({ error: 'MethodNotAllowed' }, request);
  }
}

/** Query parameters that carry a presigned URL's signature (OBS, V2 and V4 forms). */
const QUERY_SIGNATURES = ['Signature', 'X-Amz-Signature'];

/** A request signed twice, in its header and in its query, which OBS (like S3) refuses. */
function hasTwoAuthMechanisms(request: RecordedRequest): boolean {
  return request.headers.authorization !== undefined && QUERY_SIGNATURES.some((name) => request.query.has(name));
}

/**
 * The default answer to `request` from `store`: a request signed twice, naming a
 * sub-resource the server does not model (501 NotImplemented) or carrying a
 * wrong `Content-MD5` (400 InvalidDigest / BadDigest) is refused untouched;
 * the others are served from the store.
 */
export function serveFromStore(store: ObjectStore, request: RecordedRequest, options: StoreRouteOptions): Reply {
  if (hasTwoAuthMechanisms(request)) {
    return errorReply(
      {
        error: 'InvalidArgument',
        message: 'Only one auth mechanism allowed; only the Signature query parameter or the Authorization header should be specified.',
      },
      request,
    );
  }
  // Refusals come before the store is read or written: a refused request changes nothing.
  const refusal = subResourceRefusal(request) ?? contentMd5Refusal(request);
  if (refusal !== undefined) return errorReply(refusal, request);
  if (request.bucket === '') {
    return request.method === 'GET' || request.method === 'HEAD' ? listBuckets(store) : errorReply({ error: 'MethodNotAllowed' }, request);
  }
  return request.key === '' ? serveBucket(store, request) : serveObject(store, request, options);
}
