/**
 * Every public name carries TSDoc with a summary line: each export of the three
 * entry points, each member a user can reach on them (interface and
 * type-literal properties and methods, class fields, getters, methods and
 * constructors), and every named type of ours that a public signature hands
 * out (a constructor's argument, an option field, a return type), exported or
 * not. Editor hover text is most users' only manual, so a gap here is a gap in
 * the docs. Runs the TypeScript compiler on the sources, not on `dist`.
 */
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import ts from 'typescript';

const root = path.join(__dirname, '..', '..');
const srcDir = path.join(root, 'src') + path.sep;
const entries = ['src/index.ts', 'src/testing/index.ts', 'src/sign/index.ts'].map((file) => path.join(root, file));

/** Exports that must show a usage example in their TSDoc. */
const NEEDS_EXAMPLE = ['SignHook', 'isObsError', 'sigV4Signer', 'obsSigner'];

function loadProgram(): ts.Program {
  const configPath = path.join(root, 'tsconfig.json');
  const raw = ts.readConfigFile(configPath, (file) => ts.sys.readFile(file));
  const parsed = ts.parseJsonConfigFileContent(raw.config, ts.sys, root);
  return ts.createProgram({ rootNames: entries, options: { ...parsed.options, noEmit: true } });
}

/** Our own declarations only: members inherited from axios or lib types are documented there. */
function isOurs(node: ts.Node): boolean {
  return path.normalize(node.getSourceFile().fileName).startsWith(srcDir);
}

/** A TSDoc block with a summary line: tags alone (`@param`, `@default`) do not say what the thing is. */
function hasDoc(node: ts.Node): boolean {
  return ts.getJSDocCommentsAndTags(node).some((doc) => ts.isJSDoc(doc) && (ts.getTextOfJSDocComment(doc.comment)?.trim() ?? '') !== '');
}

function isHidden(node: ts.Node): boolean {
  if (ts.isClassElement(node) && node.name !== undefined && ts.isPrivateIdentifier(node.name)) return true;
  const modifiers = ts.canHaveModifiers(node) ? ts.getModifiers(node) : undefined;
  return modifiers?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword) === true;
}

function where(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  return `${path.relative(root, file.fileName).split(path.sep).join('/')}:${line + 1}`;
}

interface Audit {
  /** `file:line name` of every public declaration without TSDoc. */
  missing: string[];
  /** Every exported name, by its entry-point name, with its declarations. */
  exports: Map<string, ts.Declaration[]>;
  /** `Owner.member` of every member looked at, so the walk itself can be checked. */
  checked: Set<string>;
}

function audit(): Audit {
  const program = loadProgram();
  const checker = program.getTypeChecker();
  const missing = new Set<string>();
  const checked = new Set<string>();
  const exports = new Map<string, ts.Declaration[]>();
  const seenTypes = new Set<ts.Symbol>();

  // An inherited member is reported once, under the first owner that reaches it.
  const reported = new Set<ts.Node>();
  const requireDoc = (nodes: readonly ts.Node[], label: string): void => {
    const ours = nodes.filter(isOurs);
    const first = ours[0];
    if (first === undefined || ours.some(hasDoc) || reported.has(first)) return;
    reported.add(first);
    missing.add(`${where(first)} ${label}`);
  };

  /**
   * Follows the named types of ours that a public signature mentions (an
   * argument, a field, a return type), exported or not: their members are as
   * public as the signature that hands them out.
   */
  const reachTypes = (node: ts.Node | undefined, via: string): void => {
    if (node === undefined) return;
    if (ts.isTypeReferenceNode(node) || ts.isExpressionWithTypeArguments(node)) {
      const target = ts.isTypeReferenceNode(node) ? node.typeName : node.expression;
      let symbol = checker.getSymbolAtLocation(target);
      if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decls = symbol?.getDeclarations() ?? [];
      if (symbol !== undefined && !(symbol.flags & ts.SymbolFlags.TypeParameter) && decls.some(isOurs)) {
        requireDoc(decls, `${symbol.getName()} (in ${via})`);
        checkNamedType(symbol, symbol.getName());
      }
    }
    ts.forEachChild(node, (child) => {
      reachTypes(child, via);
    });
  };

  /** The parts of a declaration that name types: annotations, parameters, heritage, alias bodies. */
  const reachSignature = (decl: ts.Node, via: string): void => {
    if (ts.isVariableDeclaration(decl) || ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) {
      reachTypes(decl.type, via);
    } else if (ts.isFunctionLike(decl)) {
      for (const parameter of decl.parameters) reachTypes(parameter.type, via);
      reachTypes(decl.type, via);
    } else if (ts.isTypeAliasDeclaration(decl)) {
      reachTypes(decl.type, via);
    } else if (ts.isInterfaceDeclaration(decl) || ts.isClassDeclaration(decl)) {
      for (const clause of decl.heritageClauses ?? []) reachTypes(clause, via);
    }
  };

  const checkProperties = (type: ts.Type, owner: string): void => {
    for (const prop of checker.getPropertiesOfType(type)) {
      const decls = (prop.getDeclarations() ?? []).filter((d) => isOurs(d) && !isHidden(d));
      const first = decls[0];
      if (first === undefined || prop.getName() === 'prototype') continue;
      const declName = ts.getNameOfDeclaration(first);
      const member = `${owner}.${declName !== undefined ? declName.getText() : prop.getName()}`;
      checked.add(member);
      requireDoc(decls, member);
      for (const decl of decls) reachSignature(decl, member);
    }
  };

  /** Walks a named type of ours (interface, class, type alias) once. */
  const checkNamedType = (symbol: ts.Symbol, owner: string): void => {
    if (seenTypes.has(symbol)) return;
    seenTypes.add(symbol);
    const decls = (symbol.getDeclarations() ?? []).filter(isOurs);
    for (const decl of decls) reachSignature(decl, owner);
    if (symbol.flags & ts.SymbolFlags.Class) {
      checkProperties(checker.getDeclaredTypeOfSymbol(symbol), owner);
      checkProperties(checker.getTypeOfSymbol(symbol), `${owner} (static)`);
      for (const decl of decls) {
        if (!ts.isClassDeclaration(decl)) continue;
        for (const ctor of decl.members.filter(ts.isConstructorDeclaration)) {
          if (isHidden(ctor)) continue;
          requireDoc([ctor], `${owner} constructor`);
          reachSignature(ctor, `${owner} constructor`);
        }
      }
    } else if (symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      checkProperties(checker.getDeclaredTypeOfSymbol(symbol), owner);
    }
  };

  const named: [ts.Symbol, string][] = [];
  for (const entry of entries) {
    const source = program.getSourceFile(entry);
    const moduleSymbol = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) throw new Error(`cannot load ${entry}`);
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = exported.getName();
      const decls = symbol.getDeclarations() ?? [];
      exports.set(name, decls);
      requireDoc(decls, name);
      named.push([symbol, name]);
    }
  }
  // Exports first, so each is reported under its public name, then what they reach.
  for (const [symbol, name] of named) {
    if (symbol.flags & (ts.SymbolFlags.Class | ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) checkNamedType(symbol, name);
    else for (const decl of (symbol.getDeclarations() ?? []).filter(isOurs)) reachSignature(decl, name);
  }
  return { missing: [...missing].sort(), exports, checked };
}

/** Members the walk must reach: if one goes missing, the walker is broken, not the docs. */
const MUST_REACH = [
  'ObsPolicyEvents.retry',
  'ObsPolicyEvents.circuitReject',
  'ObsRequestOptions.sign',
  'FailFastEvent.error',
  'ObsFault.requestId',
  'ObsError.obsCode',
  'ObsErrorInit.fault',
  'ObsPolicyHandle.detach',
  'ObsTestServer.enqueue',
  'ObsSignerOptions.securityToken',
  'SigV4SignerOptions.region',
  'ObsServerCredentials.secretAccessKey',
];

describe('TSDoc of the public surface', () => {
  let result: Audit | undefined;
  // Built once, lazily: the program takes a few seconds to type-check.
  const get = (): Audit => (result ??= audit());

  it('walks the members users reach', () => {
    const { checked } = get();
    for (const member of MUST_REACH) expect(checked).toContain(member);
  });

  it('documents every export and every public member', () => {
    expect(get().missing).toEqual([]);
  });

  it.each(NEEDS_EXAMPLE)('shows an @example on %s', (name) => {
    const decls = get().exports.get(name) ?? [];
    expect(decls.length).toBeGreaterThan(0);
    const tags = decls.flatMap((decl) => ts.getJSDocTags(decl).map((tag) => tag.tagName.text));
    expect(tags).toContain('example');
  });
});
