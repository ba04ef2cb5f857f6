import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';
import { repoPath } from './paths.js';

/** `services/<name>/src/<rest>` → [service dir, rest], for files of a service's sources. */
function serviceSource(file: string): [string, string] | undefined {
  const match = /(?:^|\/)((?:services|templates)\/[^/]+)\/src\/(.+)$/.exec(file);
  return match?.[1] !== undefined && match[2] !== undefined ? [match[1], match[2]] : undefined;
}

const isWorkerSide = (rest: string) => rest.startsWith('workers/') || /^worker\.[cm]?[jt]s$/.test(rest);

export const noWorkerCodeInApi = createRule({
  name: 'no-worker-code-in-api',
  meta: {
    type: 'problem',
    docs: {
      description: "Only a service's worker side (src/worker.ts, src/workers/) imports job handlers; API code imports job definitions",
    },
    messages: {
      workerImport:
        '{{file}} imports the worker module "{{source}}": API code enqueues with the job\'s definition (src/jobs/, defineJob) and never builds its handler; only src/worker.ts and src/workers/ import src/workers/ (type-only imports are fine).',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename, context.cwd);
    const own = serviceSource(file);
    if (own === undefined || isWorkerSide(own[1])) return {};

    const check = (node: TSESTree.Node, source: string, typeOnly: boolean) => {
      if (typeOnly || !source.startsWith('.')) return;
      const target = serviceSource(repoPath(path.resolve(path.dirname(context.filename), source), context.cwd));
      if (target?.[0] === own[0] && isWorkerSide(target[1]))
        context.report({ node, messageId: 'workerImport', data: { file: `src/${own[1]}`, source } });
    };
    const sourceOf = (node: { source: TSESTree.Node | null }) =>
      node.source?.type === AST_NODE_TYPES.Literal && typeof node.source.value === 'string' ? node.source.value : undefined;
    return {
      ImportDeclaration(node) {
        const source = sourceOf(node);
        const typeOnly =
          node.importKind === 'type' ||
          (node.specifiers.length > 0 &&
            node.specifiers.every((s) => s.type === AST_NODE_TYPES.ImportSpecifier && s.importKind === 'type'));
        if (source !== undefined) check(node.source, source, typeOnly);
      },
      ExportNamedDeclaration(node) {
        const source = sourceOf(node);
        if (source !== undefined && node.source) check(node.source, source, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node.source, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        const source = sourceOf(node);
        if (source !== undefined) check(node.source, source, false);
      },
    };
  },
});
