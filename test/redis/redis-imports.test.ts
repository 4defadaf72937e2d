/**
 * ioredis is an optional peer dependency: src/redis takes only its types, so
 * the built package loads without ioredis installed. Read with the TypeScript
 * parser: every import or re-export of `ioredis` there is type-only.
 */
import { expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const dir = path.join(__dirname, '..', '..', 'src', 'redis');

/** `[file, how it imports ioredis]` for every import of ioredis in src/redis: `type` or `value`. */
function ioredisImports(): [string, string][] {
  const found: [string, string][] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(path.join(dir, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'ioredis') {
        found.push([file, node.importClause?.phaseModifier === ts.SyntaxKind.TypeKeyword ? 'type' : 'value']);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'ioredis') {
        found.push([file, node.isTypeOnly ? 'type' : 'value']);
      } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
        const [first] = node.arguments;
        if (first !== undefined && ts.isStringLiteral(first) && first.text === 'ioredis') found.push([file, 'value']);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

it('imports only types from ioredis in src/redis', () => {
  const imports = ioredisImports();
  expect(imports.length).toBeGreaterThan(0);
  expect(imports.filter(([, how]) => how !== 'type')).toEqual([]);
});
