/**
 * Reads the body of a CompleteMultipartUpload request:
 *
 *     <CompleteMultipartUpload>
 *       <Part><PartNumber>1</PartNumber><ETag>"a54357aff0632cce46d942af68356b38"</ETag></Part>
 *       …
 *     </CompleteMultipartUpload>
 *
 * with the package's one XML parser (DOCTYPEs stripped, namespaces ignored).
 */
import { readXml } from '../parse/xml-reader.js';

/** One `<Part>` of the list, as sent. */
export interface CompletePart {
  /** `<PartNumber>`, parsed (a non-integer makes the whole body malformed). */
  readonly partNumber: number;
  /** `<ETag>`, quotes removed. */
  readonly etag: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An ETag without its quotes: clients send `"abc"`, `abc` or `&quot;abc&quot;`. */
export function unquoted(etag: string): string {
  return etag.trim().replace(/^"(.*)"$/, '$1');
}

function partOf(entry: unknown): CompletePart | undefined {
  if (!isRecord(entry)) return undefined;
  const { PartNumber: number, ETag: etag } = entry;
  if (typeof number !== 'string' || !/^\d{1,5}$/.test(number) || typeof etag !== 'string') return undefined;
  return { partNumber: Number(number), etag: unquoted(etag) };
}

/**
 * The parts listed by a CompleteMultipartUpload body, in the order sent;
 * `undefined` when the body is not such a document or lists no part (OBS: MalformedXML).
 */
export function readCompleteParts(body: Buffer): CompletePart[] | undefined {
  const root = readXml(body.toString('utf8'))?.CompleteMultipartUpload;
  if (!isRecord(root)) return undefined;
  const entries: unknown[] = Array.isArray(root.Part) ? root.Part : [root.Part];
  const parts: CompletePart[] = [];
  for (const entry of entries) {
    const part = partOf(entry);
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return parts;
}
