import { defineProject } from 'vitest/config';

/**
 * The vitest project of one workspace package. Workspace packages are imported from their sources
 * (the `source` export condition, also for Vite's SSR resolution that tests run under), never from a
 * dist/ that may be stale.
 */
export function packageProject(name: string, timeouts: { testTimeout: number; hookTimeout?: number }) {
  return defineProject({
    resolve: { conditions: ['source'] },
    ssr: { resolve: { conditions: ['source'] } },
    test: { name, include: ['tests/**/*.test.ts'], ...timeouts },
  });
}
