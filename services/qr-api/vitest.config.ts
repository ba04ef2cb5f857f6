import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  test: {
    name: 'qr-api',
    include: ['tests/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
