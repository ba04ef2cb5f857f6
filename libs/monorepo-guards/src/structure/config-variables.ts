import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { walkFiles } from './files.js';
import type { WorkspacePackage } from './workspace.js';

const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;

/** The top-level `const` initialisers and the named imports of one module. */
interface ModuleScope {
  consts: Map<string, ts.Expression>;
  imports: Map<string, { from: string; name: string }>;
}

function scopeOf(source: ts.SourceFile): ModuleScope {
  const scope: ModuleScope = { consts: new Map(), imports: new Map() };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.initializer) scope.consts.set(declaration.name.text, declaration.initializer);
      }
    } else if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) {
          scope.imports.set(element.name.text, { from: statement.moduleSpecifier.text, name: (element.propertyName ?? element.name).text });
        }
      }
    }
  }
  return scope;
}

const parse = (file: string) => ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);

/**
 * Finds exported consts of workspace packages (`sharedEnv` of @platform/core ...) by scanning the package's src/.
 * Only what a config schema spreads is ever looked up, so the scan is lazy and cached per package.
 */
export class ExportIndex {
  private readonly cache = new Map<string, Map<string, { expression: ts.Expression; scope: ModuleScope }>>();

  constructor(
    private readonly root: string,
    private readonly packages: WorkspacePackage[],
  ) {}

  lookup(packageName: string, name: string) {
    let exports = this.cache.get(packageName);
    if (!exports) {
      exports = new Map();
      const pkg = this.packages.find((p) => p.name === packageName);
      const files = pkg ? walkFiles(path.join(this.root, pkg.dir, 'src')).filter((f) => f.endsWith('.ts')) : [];
      for (const file of files) {
        const source = parse(file);
        const scope = scopeOf(source);
        for (const statement of source.statements) {
          if (!ts.isVariableStatement(statement) || !statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
          for (const declaration of statement.declarationList.declarations) {
            if (ts.isIdentifier(declaration.name) && declaration.initializer)
              exports.set(declaration.name.text, { expression: declaration.initializer, scope });
          }
        }
      }
      this.cache.set(packageName, exports);
    }
    return exports.get(name);
  }
}

function keyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** The variable names of a schema expression: object keys, spreads, `z.object(...)`, `.extend(...)` and method chains. */
function schemaKeys(expression: ts.Expression, scope: ModuleScope, index: ExportIndex, seen: Set<ts.Node>, out: Set<string>): void {
  if (seen.has(expression)) return;
  seen.add(expression);
  const recurse = (next: ts.Expression, nextScope = scope) => {
    schemaKeys(next, nextScope, index, seen, out);
  };
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression) || ts.isSatisfiesExpression(expression)) {
    recurse(expression.expression);
  } else if (ts.isObjectLiteralExpression(expression)) {
    for (const property of expression.properties) {
      if (ts.isSpreadAssignment(property)) recurse(property.expression);
      else if (ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property)) {
        const name = keyName(property.name);
        if (name !== undefined && ENV_NAME.test(name)) out.add(name);
      }
    }
  } else if (ts.isIdentifier(expression)) {
    const local = scope.consts.get(expression.text);
    if (local) {
      recurse(local);
      return;
    }
    const imported = scope.imports.get(expression.text);
    const found = imported && !imported.from.startsWith('.') ? index.lookup(imported.from, imported.name) : undefined;
    if (found) recurse(found.expression, found.scope);
  } else if (ts.isCallExpression(expression)) {
    // z.object(keys), base.extend(keys), schema.superRefine(...).transform(...): keys come from arguments and receivers.
    if (ts.isPropertyAccessExpression(expression.expression)) {
      const method = expression.expression.name.text;
      if (method === 'object' || method === 'extend' || method === 'strictObject' || method === 'looseObject') {
        for (const arg of expression.arguments) recurse(arg);
      }
      if (method !== 'object') recurse(expression.expression.expression);
    }
  }
}

/**
 * The environment variables a service's config module reads: the keys of every schema passed to `loadConfig`
 * (following local consts, spreads and consts exported by workspace packages), plus direct `env.NAME` reads.
 */
export function configVariables(configFile: string, index: ExportIndex): Set<string> {
  const source = parse(configFile);
  const scope = scopeOf(source);
  const names = new Set<string>();
  const seen = new Set<ts.Node>();
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'loadConfig' && node.arguments[0]) {
      schemaKeys(node.arguments[0], scope, index, seen, names);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'env' &&
      ENV_NAME.test(node.name.text)
    ) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** The names a `.env.example` lists: `NAME=value`, `export NAME=` and commented-out `# NAME=` lines. */
export function envExampleNames(file: string): Set<string> {
  if (!existsSync(file)) return new Set();
  const names = new Set<string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^\s*(?:#\s*)?(?:export\s+)?([A-Z][A-Z0-9_]*)=/.exec(line);
    if (match?.[1]) names.add(match[1]);
  }
  return names;
}
