import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: {
    name: 'music-wrapped-api',
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
