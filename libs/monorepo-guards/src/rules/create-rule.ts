import { ESLintUtils } from '@typescript-eslint/utils';

export const createRule = ESLintUtils.RuleCreator(
  (name) => `https://github.com/platform/platform/blob/main/libs/monorepo-guards/README.md#${name}`,
);
