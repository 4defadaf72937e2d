/**
 * The TSDoc `@default` tags of the option types say what `DEFAULTS`
 * (src/options/defaults.ts) holds, and every default has a tag. Which group of
 * `DEFAULTS` an interface documents is read from `ObsPolicyOptions` itself
 * (`breaker?: false | BreakerOptions` → `breaker`), and from `extends`
 * (`RetryOptions extends RetryKnobs` → `retry`).
 */
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';
import { defaultAt, defaultLeaves, NAMED_DEFAULTS, OPTION_ROWS } from '../../scripts/readme-options.js';
import { interfacesOf, parseSource } from './doc-files.js';

const FILES = ['src/options/types.ts', 'src/policy/types.ts'];

interface Tag {
  /** `file:line Interface.member`, for messages. */
  where: string;
  /** Dotted path in DEFAULTS (`breaker.volumeThreshold`). */
  option: string;
  /** The tag's text. */
  text: string;
}

/** The type names a type node mentions (`false | BreakerOptions` → `BreakerOptions`). */
function typeNames(node: ts.Node | undefined): string[] {
  if (node === undefined) return [];
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) return [node.typeName.text];
  const names: string[] = [];
  node.forEachChild((child) => {
    names.push(...typeNames(child));
  });
  return names;
}

/** Every `@default` tag of the option interfaces, with the DEFAULTS path it documents. */
function collectTags(): { tags: Tag[]; unmapped: string[] } {
  const interfaces = new Map(FILES.flatMap((file) => [...interfacesOf(parseSource(file))].map(([name, decl]) => [name, { file, decl }] as const)));
  // Interface → DEFAULTS group: the root options, the groups they name, and what those extend.
  const group = new Map<string, string>([['ObsPolicyOptions', '']]);
  const root = interfaces.get('ObsPolicyOptions')?.decl;
  for (const member of root?.members ?? []) {
    if (!ts.isPropertySignature(member)) continue;
    for (const name of typeNames(member.type)) if (interfaces.has(name)) group.set(name, member.name.getText());
  }
  for (const [name, prefix] of [...group]) {
    for (const clause of interfaces.get(name)?.decl.heritageClauses ?? []) {
      for (const base of clause.types) if (ts.isIdentifier(base.expression) && !group.has(base.expression.text)) group.set(base.expression.text, prefix);
    }
  }
  const tags: Tag[] = [];
  const unmapped: string[] = [];
  for (const [name, { file, decl }] of interfaces) {
    for (const member of decl.members) {
      for (const tag of ts.getJSDocTags(member).filter((t) => t.tagName.text === 'default')) {
        const source = decl.getSourceFile();
        const line = source.getLineAndCharacterOfPosition(member.getStart(source)).line + 1;
        const where = `${file}:${line} ${name}.${member.name?.getText() ?? '?'}`;
        const prefix = group.get(name);
        if (prefix === undefined) {
          unmapped.push(where);
          continue;
        }
        const field = member.name?.getText() ?? '';
        tags.push({ where, option: prefix === '' ? field : `${prefix}.${field}`, text: ts.getTextOfJSDocComment(tag.comment)?.trim() ?? '' });
      }
    }
  }
  return { tags, unmapped };
}

/** `{ a: 1, b: 2 }` → `{ a: 1, b: 2 }` as numbers; `undefined` when the text is not such an object. */
function parseObjectTag(text: string): Record<string, number> | undefined {
  const body = /^\{(.*)\}$/.exec(text)?.[1];
  if (body === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const pair of body.split(',')) {
    const match = /^\s*(\w+)\s*:\s*([\d_.]+)\s*$/.exec(pair);
    if (match === null) return undefined;
    out[match[1] ?? ''] = Number((match[2] ?? '').replace(/_/g, ''));
  }
  return out;
}

/** Why a tag disagrees with DEFAULTS (with the fix), or `undefined` when it agrees. */
function disagreement(tag: Tag): string | undefined {
  const value = defaultAt(tag.option);
  if (value === undefined) {
    // Not a value in DEFAULTS ("none", "Math.random"): the options table's fallback is the reference.
    const fallback = OPTION_ROWS.find((row) => row.option === tag.option)?.fallback?.replace(/`/g, '');
    return fallback === tag.text ? undefined : `${tag.where}: @default ${tag.text}, but DEFAULTS has no ${tag.option} and the options table says ${String(fallback)}`;
  }
  let agrees: boolean;
  let expected: string;
  if (typeof value === 'number') {
    agrees = Number(tag.text.replace(/_/g, '')) === value;
    expected = String(value);
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    expected = `{ ${Object.entries(value).map(([k, v]) => `${k}: ${String(v)}`).join(', ')} }`;
    agrees = JSON.stringify(parseObjectTag(tag.text)) === JSON.stringify(value);
  } else {
    const name = /^[\w.]+/.exec(tag.text)?.[0] ?? '';
    expected = Object.entries(NAMED_DEFAULTS).find(([, named]) => named === value)?.[0] ?? JSON.stringify(value);
    agrees = Object.hasOwn(NAMED_DEFAULTS, name) && NAMED_DEFAULTS[name] === value;
  }
  return agrees ? undefined : `${tag.where}: @default ${tag.text}, but DEFAULTS.${tag.option} is ${expected} (write @default ${expected})`;
}

describe('TSDoc @default tags', () => {
  const { tags, unmapped } = collectTags();

  it('are found, each on an option that maps to a group of DEFAULTS', () => {
    expect(tags.length).toBeGreaterThan(15);
    expect(tags.map((t) => t.option)).toEqual(expect.arrayContaining(['retry.retries', 'breaker.resetTimeoutMs', 'redirect.allowHosts', 'retryBudget']));
    expect(unmapped).toEqual([]);
  });

  it('say what DEFAULTS holds', () => {
    expect(tags.map(disagreement).filter((problem) => problem !== undefined)).toEqual([]);
  });

  it('exist for every default in DEFAULTS', () => {
    const tagged = new Set(tags.map((t) => t.option));
    expect(defaultLeaves().filter((leaf) => !tagged.has(leaf))).toEqual([]);
  });
});
