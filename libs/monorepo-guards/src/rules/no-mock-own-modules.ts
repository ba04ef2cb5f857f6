import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';

const MOCKERS = new Set(['vi', 'jest']);
const MOCK_METHODS = new Set(['mock', 'doMock']);

function mockedPath(node: TSESTree.CallExpressionArgument | undefined): string | undefined {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (
    node?.type === AST_NODE_TYPES.ImportExpression &&
    node.source.type === AST_NODE_TYPES.Literal &&
    typeof node.source.value === 'string'
  ) {
    return node.source.value;
  }
  return undefined;
}

const isOwnModule = (source: string) => source.startsWith('./') || source.startsWith('../') || source.startsWith('@platform/');

export const noMockOwnModules = createRule({
  name: 'no-mock-own-modules',
  meta: {
    type: 'problem',
    docs: { description: "Tests run the project's own modules for real; only external services are replaced, by local servers" },
    messages: {
      ownModule:
        'vi.mock("{{source}}") replaces the project\'s own code: run the real module (real Redis with a key prefix, HTTP on port 0, the real data-bank via data-bank-api/testing), or pass the dependency in through buildApp(deps).',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.object.type !== AST_NODE_TYPES.Identifier) return;
        if (
          !MOCKERS.has(callee.object.name) ||
          callee.property.type !== AST_NODE_TYPES.Identifier ||
          !MOCK_METHODS.has(callee.property.name)
        )
          return;
        const source = mockedPath(node.arguments[0]);
        if (source !== undefined && isOwnModule(source)) context.report({ node, messageId: 'ownModule', data: { source } });
      },
    };
  },
});
