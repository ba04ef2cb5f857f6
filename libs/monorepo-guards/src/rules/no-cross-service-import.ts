import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';
import { isTestFile, repoPath, serviceDirOf } from './paths.js';
import { findWorkspaceRoot, servicePackages } from './service-packages.js';

/** `name`, `name/sub/path` or `@scope/name/sub` → [package name, subpath]. */
function splitSpecifier(source: string): [string, string] {
  const parts = source.split('/');
  const nameLength = source.startsWith('@') ? 2 : 1;
  return [parts.slice(0, nameLength).join('/'), parts.slice(nameLength).join('/')];
}

export const noCrossServiceImport = createRule({
  name: 'no-cross-service-import',
  meta: {
    type: 'problem',
    docs: { description: 'A service never imports another service; tests and benchmarks may import its published testing entry' },
    messages: {
      crossService:
        'services/{{from}} imports the service {{to}} ("{{source}}"): move the shared code into a library under libs/ or talk to the service over HTTP; tests and benchmarks may import "{{to}}/testing".',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename, context.cwd);
    const from = serviceDirOf(file);
    if (from === undefined) return {};
    const root = findWorkspaceRoot(path.dirname(context.filename));
    const packages = root === undefined ? new Map<string, string>() : servicePackages(root);
    const testFile = isTestFile(file);

    function check(node: TSESTree.Node, source: string) {
      if (source.startsWith('.')) {
        const target = serviceDirOf(repoPath(path.resolve(path.dirname(context.filename), source), context.cwd));
        if (target !== undefined && target !== from) {
          context.report({ node, messageId: 'crossService', data: { from, to: target, source } });
        }
        return;
      }
      const [name, subpath] = splitSpecifier(source);
      const target = packages.get(name);
      if (target === undefined || target === from) return;
      if (testFile && (subpath === 'testing' || subpath.startsWith('testing/'))) return;
      context.report({ node, messageId: 'crossService', data: { from, to: name, source } });
    }

    const checkSource = (node: { source: TSESTree.Node | null }) => {
      if (node.source?.type === AST_NODE_TYPES.Literal && typeof node.source.value === 'string') check(node.source, node.source.value);
    };
    return {
      ImportDeclaration: checkSource,
      ExportNamedDeclaration: checkSource,
      ExportAllDeclaration: checkSource,
      ImportExpression: checkSource,
      TSImportType: checkSource,
    };
  },
});
