import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';

type Callback = TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression;

/** Whether `root` contains a `throw` outside nested functions. */
function rethrows(root: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys): boolean {
  if (root.type === AST_NODE_TYPES.ThrowStatement) return true;
  for (const key of keys[root.type] ?? []) {
    const value = (root as unknown as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child === null || typeof child !== 'object' || !('type' in child)) continue;
      const node = child as TSESTree.Node;
      if (
        node.type === AST_NODE_TYPES.FunctionDeclaration ||
        node.type === AST_NODE_TYPES.FunctionExpression ||
        node.type === AST_NODE_TYPES.ArrowFunctionExpression
      )
        continue;
      if (rethrows(node, keys)) return true;
    }
  }
  return false;
}

export const noSwallowedErrors = createRule({
  name: 'no-swallowed-errors',
  meta: {
    type: 'problem',
    docs: { description: 'A caught error is rethrown, used (narrowed, handled, logged) or the reason for ignoring it is written down' },
    messages: {
      catchClause:
        'This catch swallows the error: rethrow it, narrow and handle it (e.g. `if (!(error instanceof X)) throw error`), log it, or write a comment saying why ignoring it is safe.',
      catchCallback:
        'This .catch() callback ignores the error: handle or log its argument, or put a comment on this line or the line above saying why ignoring it is safe.',
    },
    defaultOptions: [],
    schema: [],
  },
  create(context) {
    const source = context.sourceCode;
    // The variables a catch clause or a callback declares are its parameters.
    const isUsed = (declarer: TSESTree.Node) => source.getDeclaredVariables(declarer).some((variable) => variable.references.length > 0);
    const hasCommentNear = (line: number, lastLine: number) =>
      source.getAllComments().some((comment) => comment.loc.end.line >= line - 1 && comment.loc.start.line <= lastLine);

    return {
      CatchClause(node) {
        if (isUsed(node) || rethrows(node.body, source.visitorKeys)) return;
        if (source.getCommentsInside(node.body).length > 0) return;
        context.report({ node, messageId: 'catchClause' });
      },
      CallExpression(node) {
        const callee = node.callee;
        if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return;
        if (callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name !== 'catch') return;
        const callback = node.arguments[0];
        if (callback?.type !== AST_NODE_TYPES.ArrowFunctionExpression && callback?.type !== AST_NODE_TYPES.FunctionExpression) return;
        const fn: Callback = callback;
        if (isUsed(fn) || rethrows(fn.body, source.visitorKeys)) return;
        // The comment may sit on the line above `.catch`, on its line, or inside the callback.
        if (hasCommentNear(callee.property.loc.start.line, fn.loc.end.line)) return;
        context.report({ node: callee.property, messageId: 'catchCallback' });
      },
    };
  },
});
