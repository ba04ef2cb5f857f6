import type { TSESLint } from '@typescript-eslint/utils';
import { noCrossServiceImport } from './rules/no-cross-service-import.js';
import { noMockOwnModules } from './rules/no-mock-own-modules.js';
import { noProcessEnvOutsideConfig } from './rules/no-process-env-outside-config.js';
import { noRedisConstruction } from './rules/no-redis-construction.js';
import { noSwallowedErrors } from './rules/no-swallowed-errors.js';
import { noWeakAssertions } from './rules/no-weak-assertions.js';
import { noWorkerCodeInApi } from './rules/no-worker-code-in-api.js';
import { v1RouteNeedsAuth } from './rules/v1-route-needs-auth.js';

export const rules = {
  'no-process-env-outside-config': noProcessEnvOutsideConfig,
  'no-redis-construction': noRedisConstruction,
  'no-cross-service-import': noCrossServiceImport,
  'no-swallowed-errors': noSwallowedErrors,
  'v1-route-needs-auth': v1RouteNeedsAuth,
  'no-weak-assertions': noWeakAssertions,
  'no-mock-own-modules': noMockOwnModules,
  'no-worker-code-in-api': noWorkerCodeInApi,
};

export const plugin = {
  meta: { name: '@platform/monorepo-guards', version: '0.1.0' },
  rules,
} satisfies TSESLint.FlatConfig.Plugin;

const SOURCE = ['libs/*/src/**/*.ts', 'services/*/src/**/*.ts', 'clients/*/src/**/*.ts', 'templates/*/src/**/*.ts'];
const TESTS = ['**/tests/**/*.ts', '**/*.test.ts'];
const ALL = [...SOURCE, ...TESTS, '**/testing/**/*.ts', 'scripts/**/*.{ts,mjs,js}', '*/*/scripts/**/*.ts', 'bench/**/*.ts'];

/**
 * The platform rules for this repository's layout. Console output is left to ESLint's own `no-console`
 * (errors in src, allowed in scripts, bench and tests); the path-scoped rules decide scope from the file path
 * themselves, so the config only chooses which files are linted.
 */
export const recommended: TSESLint.FlatConfig.ConfigArray = [
  {
    name: '@platform/monorepo-guards/all',
    files: ALL,
    plugins: { '@platform/guards': plugin },
    rules: {
      '@platform/guards/no-process-env-outside-config': 'error',
      '@platform/guards/no-redis-construction': 'error',
      '@platform/guards/no-cross-service-import': 'error',
      '@platform/guards/no-swallowed-errors': 'error',
    },
  },
  {
    name: '@platform/monorepo-guards/src',
    files: SOURCE,
    ignores: ['**/src/testing/**'],
    rules: { '@platform/guards/v1-route-needs-auth': 'error', '@platform/guards/no-worker-code-in-api': 'error', 'no-console': 'error' },
  },
  {
    name: '@platform/monorepo-guards/tests',
    files: TESTS,
    rules: {
      // The checks of @platform/core/testing throw on failure: fuzzService on any 500 or malformed envelope,
      // authSpellings on any spelling of a protected route that gets through without a key.
      '@platform/guards/no-weak-assertions': ['error', { assertionFunctions: ['fuzzService', 'authSpellings'] }],
      '@platform/guards/no-mock-own-modules': 'error',
    },
  },
];
