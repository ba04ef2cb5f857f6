import { defineConfig } from 'vitest/config';

// One run over every package: each workspace package with a vitest.config.ts is a project.
export default defineConfig({
  test: {
    projects: [
      'libs/*/vitest.config.ts',
      'services/*/vitest.config.ts',
      'clients/*/vitest.config.ts',
      'templates/service/vitest.config.ts',
    ],
    coverage: {
      provider: 'v8',
      include: ['libs/*/src/**', 'services/*/src/**', 'clients/*/src/**'],
      reporter: ['text-summary', 'json-summary'],
    },
  },
});
