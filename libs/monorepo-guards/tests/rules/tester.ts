import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import type { RuleModule } from '@typescript-eslint/utils/ts-eslint';
import { afterAll, describe, it } from 'vitest';

RuleTester.afterAll = afterAll;
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const ruleTester = new RuleTester();

/** RuleTester.run for the plugin's rules, with valid and invalid cases checked against the rule's message ids. */
export function run<M extends string, O extends readonly unknown[]>(name: string, rule: RuleModule<M, O>, tests: RunTests<M, O>): void {
  // @typescript-eslint/rule-tester may carry its own copy of @typescript-eslint/utils whose types differ
  // nominally; the rule object is the same at run time.
  ruleTester.run(name, rule as unknown as Parameters<typeof ruleTester.run<M, O>>[1], tests);
}
