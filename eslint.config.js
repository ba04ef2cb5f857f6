import js from '@eslint/js';
// The platform's own rules (libs/monorepo-guards); lint builds it first (npm run lint).
import { recommended as platformRules } from '@platform/monorepo-guards';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/coverage/**', '**/node_modules/**', 'var/**', '**/*.d.ts', '**/python/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.ts', 'scripts/*.mjs'] } },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  ...platformRules,
  {
    // @platform/testing is a test-only library (never imported by a service's src): starting a process
    // from its sources hands the child this process's environment, as a test's own code would.
    files: ['libs/platform-testing/src/**/*.ts'],
    rules: { '@platform/guards/no-process-env-outside-config': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/vitest.config.ts', 'vitest.shared.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
