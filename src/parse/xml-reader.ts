/**
 * The one XML parser instance, configured for hostile input: DOCTYPE blocks are
 * cut out before parsing (so declared entities can never expand), the five
 * predefined entities are decoded, values stay strings, namespaces and
 * attributes are ignored. Parsing never throws out of this module.
 */
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Request ids such as 0000018A… must stay strings.
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreAttributes: true,
  removeNSPrefix: true,
  processEntities: true,
  htmlEntities: false,
});

/**
 * Removes every `<!DOCTYPE …>` declaration, internal subset included. With no
 * declaration left, an entity reference like `&lol9;` stays literal text.
 */
function stripDoctype(xml: string): string {
  let text = xml;
  for (;;) {
    const start = text.search(/<!DOCTYPE/i);
    if (start < 0) return text;
    let depth = 0;
    let end = -1;
    for (let i = start + 9; i < text.length; i++) {
      const ch = text[i];
      if (ch === '[') depth++;
      else if (ch === ']') depth = Math.max(0, depth - 1);
      else if (ch === '>' && depth === 0) {
        end = i;
        break;
      }
    }
    // An unterminated DOCTYPE swallows the rest: nothing after it is trusted.
    text = end < 0 ? text.slice(0, start) : text.slice(0, start) + text.slice(end + 1);
  }
}

/** Parses XML text into a plain object tree, or `undefined` when the parser gives up. */
export function readXml(xml: string): Record<string, unknown> | undefined {
  try {
    const doc: unknown = parser.parse(stripDoctype(xml));
    return doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
