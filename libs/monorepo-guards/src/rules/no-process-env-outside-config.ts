import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';
import { isConfigModule, isToolingFile, repoPath } from './paths.js';

const isEnvKey = (node: TSESTree.MemberExpression) =>
  node.computed
    ? node.property.type === AST_NODE_TYPES.Literal && node.property.value === 'env'
    : node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'env';

export const noProcessEnvOutsideConfig = createRule({
  name: 'no-process-env-outside-config',
  meta: {
    type: 'problem',
    docs: { description: 'Read the environment only in config modules (src/config.ts, src/config/**), scripts, bench and tests' },
    messages: {
      processEnv:
        'process.env read outside a config module: declare the variable in the zod schema of src/config.ts (loadConfig from @platform/core) and pass the typed value in.',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    const file = repoPath(context.filename, context.cwd);
    if (isConfigModule(file) || isToolingFile(file)) return {};
    return {
      MemberExpression(node) {
        if (node.object.type === AST_NODE_TYPES.Identifier && node.object.name === 'process' && isEnvKey(node)) {
          context.report({ node, messageId: 'processEnv' });
        }
      },
      ImportDeclaration(node) {
        if (node.source.value !== 'process' && node.source.value !== 'node:process') return;
        for (const specifier of node.specifiers) {
          if (
            specifier.type === AST_NODE_TYPES.ImportSpecifier &&
            specifier.imported.type === AST_NODE_TYPES.Identifier &&
            specifier.imported.name === 'env'
          ) {
            context.report({ node: specifier, messageId: 'processEnv' });
          }
        }
      },
    };
  },
});
