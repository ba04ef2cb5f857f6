import { AST_NODE_TYPES } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';
import { repoPath } from './paths.js';

const FACTORY = 'libs/platform-workers/src/redis.ts';
const CLIENT_CLASSES = new Set(['Redis', 'Cluster']);

type Options = [{ allow?: string[] }];

export const noRedisConstruction = createRule<Options, 'construct'>({
  name: 'no-redis-construction',
  meta: {
    type: 'problem',
    docs: { description: 'Construct ioredis clients only in the one connection factory' },
    messages: {
      construct:
        'new {{name}}() outside the connection factory: use connectRedis/createRedis from @platform/workers (libs/platform-workers/src/redis.ts), which log connection state and never stall shutdown.',
    },
    defaultOptions: [{ allow: [FACTORY] }],
    schema: [
      {
        type: 'object',
        properties: { allow: { type: 'array', items: { type: 'string' }, description: 'path suffixes allowed to construct clients' } },
        additionalProperties: false,
      },
    ],
  },
  create(context, [options]) {
    const file = repoPath(context.filename, context.cwd);
    if ((options.allow ?? [FACTORY]).some((suffix) => file === suffix || file.endsWith(`/${suffix}`))) return {};
    // Local names bound by `import X from 'ioredis'`, `import { Redis, Cluster } ...` and namespace imports.
    const classNames = new Map<string, string>();
    const namespaces = new Set<string>();
    return {
      ImportDeclaration(node) {
        if (node.source.value !== 'ioredis') return;
        for (const specifier of node.specifiers) {
          if (specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
            classNames.set(specifier.local.name, 'Redis');
            namespaces.add(specifier.local.name);
          } else if (specifier.type === AST_NODE_TYPES.ImportNamespaceSpecifier) {
            namespaces.add(specifier.local.name);
          } else if (specifier.imported.type === AST_NODE_TYPES.Identifier && CLIENT_CLASSES.has(specifier.imported.name)) {
            classNames.set(specifier.local.name, specifier.imported.name);
          }
        }
      },
      NewExpression(node) {
        const callee = node.callee;
        if (callee.type === AST_NODE_TYPES.Identifier) {
          const name = classNames.get(callee.name);
          if (name !== undefined) context.report({ node, messageId: 'construct', data: { name } });
        } else if (
          callee.type === AST_NODE_TYPES.MemberExpression &&
          callee.object.type === AST_NODE_TYPES.Identifier &&
          namespaces.has(callee.object.name) &&
          callee.property.type === AST_NODE_TYPES.Identifier &&
          CLIENT_CLASSES.has(callee.property.name)
        ) {
          context.report({ node, messageId: 'construct', data: { name: callee.property.name } });
        }
      },
    };
  },
});
