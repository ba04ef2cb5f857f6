import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { createRule } from './create-rule.js';

const TEST_FUNCTIONS = new Set(['it', 'test']);
const TEST_MODIFIERS = new Set(['only', 'concurrent', 'sequential', 'fails']);
const WEAK_MATCHERS = new Set(['toBeDefined', 'toBeTruthy']);
const WEAK_NEGATED = new Set(['toThrow', 'toThrowError', 'toBeUndefined']);

type Strength = 'strong' | 'weak' | 'none';

/** `assert(...)`, and helpers named `expect*`/`assert*` (e.g. `expectProblem`, fast-check's `fc.assert`). */
const isAssertionHelper = (name: string) =>
  name === 'assert' || (name !== 'expect' && (name.startsWith('expect') || name.startsWith('assert')));

const nameOf = (node: TSESTree.Node): string | undefined =>
  node.type === AST_NODE_TYPES.Identifier
    ? node.name
    : node.type === AST_NODE_TYPES.MemberExpression && node.property.type === AST_NODE_TYPES.Identifier
      ? node.property.name
      : undefined;

/** `it(...)`, `test.only(...)`, `it.each(table)(...)`. */
function isTestCall(node: TSESTree.CallExpression): boolean {
  let callee: TSESTree.Node = node.callee;
  if (callee.type === AST_NODE_TYPES.CallExpression) callee = callee.callee; // it.each(table)
  if (callee.type === AST_NODE_TYPES.Identifier) return TEST_FUNCTIONS.has(callee.name);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.object.type !== AST_NODE_TYPES.Identifier) return false;
  const modifier = nameOf(callee);
  return TEST_FUNCTIONS.has(callee.object.name) && modifier !== undefined && (TEST_MODIFIERS.has(modifier) || modifier === 'each');
}

/**
 * The strength of one call: `expect(x).<modifiers>.<matcher>()` by its matcher, `expect.poll`, `.rejects`, `assert*`,
 * `expect*` helpers and `x.assert(...)` (fast-check) count as real assertions.
 */
function strengthOf(call: TSESTree.CallExpression, helpers: ReadonlySet<string>): Strength {
  const callee = call.callee;
  if (callee.type === AST_NODE_TYPES.Identifier) return isAssertionHelper(callee.name) || helpers.has(callee.name) ? 'strong' : 'none';
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return 'none';
  const matcher = nameOf(callee);
  if (matcher === undefined) return 'none';
  if (callee.object.type === AST_NODE_TYPES.Identifier) {
    if (callee.object.name === 'expect') return 'none'; // expect.poll(fn) / expect.assertions(n) alone
    if (callee.object.name === 'assert' || isAssertionHelper(matcher)) return 'strong';
  }
  // Walk down the chain to the `expect(...)` call, collecting the modifiers.
  const modifiers: string[] = [];
  let object: TSESTree.Node = callee.object;
  while (object.type === AST_NODE_TYPES.MemberExpression) {
    const modifier = nameOf(object);
    if (modifier !== undefined) modifiers.push(modifier);
    object = object.object;
  }
  if (object.type !== AST_NODE_TYPES.CallExpression) return 'none';
  const root = object.callee;
  const isExpect =
    (root.type === AST_NODE_TYPES.Identifier && root.name === 'expect') ||
    (root.type === AST_NODE_TYPES.MemberExpression && root.object.type === AST_NODE_TYPES.Identifier && root.object.name === 'expect');
  if (!isExpect) return 'none';
  if (root.type === AST_NODE_TYPES.MemberExpression && nameOf(root) === 'poll') return 'strong';
  if (modifiers.includes('rejects')) return 'strong';
  if (WEAK_MATCHERS.has(matcher)) return 'weak';
  if (modifiers.includes('not') && WEAK_NEGATED.has(matcher)) return 'weak';
  return 'strong';
}

function strongest(node: TSESTree.Node, keys: TSESLint.SourceCode.VisitorKeys, helpers: ReadonlySet<string>): Strength {
  let best: Strength = 'none';
  const visit = (current: TSESTree.Node) => {
    if (best === 'strong') return;
    if (current.type === AST_NODE_TYPES.CallExpression) {
      const strength = strengthOf(current, helpers);
      if (strength === 'strong' || (strength === 'weak' && best === 'none')) best = strength;
    }
    for (const key of keys[current.type] ?? []) {
      const value = (current as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child !== null && typeof child === 'object' && 'type' in child) visit(child as TSESTree.Node);
      }
    }
  };
  visit(node);
  return best;
}

type Options = [{ assertionFunctions?: string[] }];

export const noWeakAssertions = createRule<Options, 'noAssertion' | 'weakOnly'>({
  name: 'no-weak-assertions',
  meta: {
    type: 'problem',
    docs: { description: 'Every test asserts something specific' },
    messages: {
      noAssertion: 'This test asserts nothing: add an expect()/assert on the result, or name the helper that asserts expect*/assert*.',
      weakOnly:
        'This test only checks toBeDefined/toBeTruthy/not.toThrow: assert the actual value (toBe, toEqual, toMatchObject, toThrow(message) ...).',
    },
    defaultOptions: [{ assertionFunctions: [] }],
    schema: [
      {
        type: 'object',
        properties: {
          assertionFunctions: { type: 'array', items: { type: 'string' }, description: 'more helpers that assert (throw on failure)' },
        },
        additionalProperties: false,
      },
    ],
  },
  create(context, [options]) {
    const helpers = new Set(options.assertionFunctions);
    return {
      CallExpression(node) {
        if (!isTestCall(node)) return;
        const body = node.arguments.findLast(
          (arg) => arg.type === AST_NODE_TYPES.ArrowFunctionExpression || arg.type === AST_NODE_TYPES.FunctionExpression,
        );
        if (body === undefined) return; // it.todo-like declarations without a body
        const strength = strongest(body, context.sourceCode.visitorKeys, helpers);
        if (strength === 'none') context.report({ node: node.callee, messageId: 'noAssertion' });
        else if (strength === 'weak') context.report({ node: node.callee, messageId: 'weakOnly' });
      },
    };
  },
});
