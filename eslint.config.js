import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const processEnvRule = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read environment variables only in a config module (src/config.ts) through @platform/core loadConfig.',
};

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
      'no-restricted-syntax': ['error', processEnvRule],
    },
  },
  {
    files: ['libs/*/src/**/*.ts', 'services/*/src/**/*.ts', 'clients/*/src/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Config modules, the scripts behind the README commands and benchmarks may read the environment.
    files: ['**/src/config.ts', '**/src/config/**/*.ts', 'scripts/**', 'bench/**', '**/tests/**', '**/testing/**', '*.config.*'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/vitest.config.ts', 'vitest.shared.ts'],
    ...tseslint.configs.disableTypeChecked,
  },
);
