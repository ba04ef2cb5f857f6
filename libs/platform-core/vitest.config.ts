import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: {
    name: '@platform/core',
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
