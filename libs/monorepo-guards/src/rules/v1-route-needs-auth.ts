import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);

function staticString(node: TSESTree.Node | undefined): string | undefined {
  if (node?.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node?.type === AST_NODE_TYPES.TemplateLiteral) return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

const isV1 = (url: string | undefined): url is string => url !== undefined && (url === '/v1' || url.startsWith('/v1/'));

function property(object: TSESTree.ObjectExpression, name: string): TSESTree.ObjectLiteralElement | undefined {
  return object.properties.find(
    (p) =>
      p.type === AST_NODE_TYPES.Property &&
      !p.computed &&
      ((p.key.type === AST_NODE_TYPES.Identifier && p.key.name === name) ||
        (p.key.type === AST_NODE_TYPES.Literal && p.key.value === name)),
  );
}

const hasSpread = (object: TSESTree.ObjectExpression) => object.properties.some((p) => p.type === AST_NODE_TYPES.SpreadElement);

/** Whether a route options object declares `config.auth` (a spread or a variable may supply it). */
function declaresAuth(options: TSESTree.ObjectExpression): boolean {
  const config = property(options, 'config');
  if (config?.type !== AST_NODE_TYPES.Property) return hasSpread(options);
  if (config.value.type !== AST_NODE_TYPES.ObjectExpression) return config.value.type === AST_NODE_TYPES.Identifier;
  return property(config.value, 'auth') !== undefined || hasSpread(config.value);
}

export const v1RouteNeedsAuth = createRule({
  name: 'v1-route-needs-auth',
  meta: {
    type: 'problem',
    docs: { description: 'Every /v1 route declares what it needs in `config: { auth }`' },
    messages: {
      missingAuth:
        "The /v1 route {{url}} declares no auth: add `config: { auth: 'read' | 'upload' | 'admin' | 'public' | ... }` to its options; the auth plugin of @platform/core decides from it.",
      missingOptions:
        'The /v1 route {{url}} has no options object: register it as `app.{{method}}(url, { config: { auth: ... } }, handler)`.',
      opaqueOptions:
        'The /v1 route {{url}} takes its options from an expression the linter cannot read: pass an object literal with `config: { auth }`, or a variable holding one.',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    function checkOptions(node: TSESTree.Node, options: TSESTree.Node, url: string) {
      if (options.type === AST_NODE_TYPES.Identifier) return;
      if (options.type !== AST_NODE_TYPES.ObjectExpression) {
        context.report({ node, messageId: 'opaqueOptions', data: { url } });
      } else if (!declaresAuth(options)) {
        context.report({ node, messageId: 'missingAuth', data: { url } });
      }
    }
    return {
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier)
          return;
        const method = callee.property.name;
        if (method === 'route') {
          const [options] = node.arguments;
          if (options?.type !== AST_NODE_TYPES.ObjectExpression) return;
          const url = property(options, 'url');
          const value = url?.type === AST_NODE_TYPES.Property ? staticString(url.value) : undefined;
          if (isV1(value)) checkOptions(node, options, value);
          return;
        }
        if (!METHODS.has(method) || callee.object.type === AST_NODE_TYPES.ThisExpression) return;
        const url = staticString(node.arguments[0]);
        if (!isV1(url)) return;
        // A handler comes last; an object or literal there is an HTTP client's query or body, not a route.
        const last = node.arguments.at(-1);
        if (node.arguments.length >= 3 && (last?.type === AST_NODE_TYPES.ObjectExpression || last?.type === AST_NODE_TYPES.Literal)) return;
        // `app.get(url, options, handler)`, or `app.get(url, { handler, ... })`.
        const second = node.arguments[1];
        const options = node.arguments.length >= 3 ? second : second?.type === AST_NODE_TYPES.ObjectExpression ? second : undefined;
        if (options === undefined) context.report({ node, messageId: 'missingOptions', data: { url, method } });
        else checkOptions(node, options, url);
      },
    };
  },
});
