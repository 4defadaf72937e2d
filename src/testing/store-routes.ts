/**
 * The local OBS server's behaviour when no step or scenario decides: routes a
 * request to the service, bucket or object answer on the in-memory store.
 */
import type { ObjectStore } from './object-store.js';
import { appendObject, deleteObject, readObject, writeObject } from './object-routes.js';
import { successXml, xmlElement } from './obs-responses.js';
import type { RecordedRequest } from './recorded-request.js';
import { errorReply, okReply, type Reply } from './reply.js';

/** Options of the default answers. */
export interface StoreRouteOptions {
  /** Create a missing bucket on the first PUT/POST of an object into it (else 404 NoSuchBucket). */
  autoCreateBuckets: boolean;
}

/** An id for the owner in listings; the server has a single, anonymous account. */
const OWNER_ID = '0123456789ABCDEF0123456789ABCDEF';

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

/** Bucket-level requests: PUT creates (idempotent), GET lists, HEAD checks, DELETE removes an empty bucket. */
function serveBucket(store: ObjectStore, request: RecordedRequest): Reply {
  switch (request.method) {
    case 'PUT':
      store.createBucket(request.bucket);
      return okReply(200, '', { location: `/${request.bucket}` });
    case 'GET':
      return listObjects(store, request);
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

/** Object-level requests. */
function serveObject(store: ObjectStore, request: RecordedRequest, options: StoreRouteOptions): Reply {
  const { method } = request;
  const writes = method === 'PUT' || method === 'POST';
  if (!store.hasBucket(request.bucket)) {
    if (!(writes && options.autoCreateBuckets)) return errorReply({ error: 'NoSuchBucket' }, request);
    store.createBucket(request.bucket);
  }
  switch (method) {
    case 'GET':
    case 'HEAD':
      return readObject(store, request);
    case 'PUT':
      return writeObject(store, request);
    case 'DELETE':
      return deleteObject(store, request);
    case 'POST':
      // Other POSTs (multipart initiate, restore, …) are not modelled: accept them with an empty result.
      return request.query.has('append') ? appendObject(store, request) : okReply(200, successXml('Result', ''));
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

/** The default answer to `request` from `store`. */
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
  if (request.bucket === '') {
    return request.method === 'GET' || request.method === 'HEAD' ? listBuckets(store) : errorReply({ error: 'MethodNotAllowed' }, request);
  }
  return request.key === '' ? serveBucket(store, request) : serveObject(store, request, options);
}
