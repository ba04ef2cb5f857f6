import tsParser from '@typescript-eslint/parser';
import { ESLint, type Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import { recommended } from '../src/index.js';
import { checkStructure } from '../src/structure/check.js';
import { formatViolation } from '../src/structure/violation.js';
import { cleanRepo, plantedViolations, writeRepo } from './fixtures/fake-repo.js';

/** `path: ruleId` for every ESLint message in the repository at `root`, linted with the plugin's recommended config. */
async function lint(root: string): Promise<string[]> {
  const eslint = new ESLint({
    cwd: root,
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tsParser } }, ...(recommended as Linter.Config[])],
  });
  const results = await eslint.lintFiles(['.']);
  return results
    .flatMap((result) => result.messages.map((m) => `${result.filePath.slice(root.length + 1)}: ${m.ruleId ?? m.message}`))
    .sort();
}

const clean = writeRepo(cleanRepo);
const planted = writeRepo(cleanRepo, plantedViolations);
afterAll(() => {
  clean.remove();
  planted.remove();
});

describe('the clean fake repository', () => {
  it('passes the structure check', () => {
    expect(checkStructure(clean.root)).toEqual({ packages: 4, violations: [] });
  });

  it('passes the ESLint plugin', async () => {
    expect(await lint(clean.root)).toEqual([]);
  });
});

describe('the fake repository with one planted violation of each rule', () => {
  it('reports each structure rule once, at the planted place', () => {
    const lines = checkStructure(planted.root).violations.map(formatViolation);
    expect(lines.map((line) => line.split(': ').slice(0, 2).join(': '))).toEqual([
      'libs/platform-core/package.json: dependency-cycle',
      'libs/platform-core/src/long.ts: file-length',
      'libs/platform-workers: package-readme',
      'libs/platform-workers: package-tests',
      'services/beta-api/.env.example: env-example',
      'services/beta-api/Dockerfile: service-files',
      'services/beta-api/tests: service-probe-tests',
    ]);
    expect(lines).toContain(
      'services/beta-api/.env.example: env-example: BETA_EXTRA is read by src/config.ts but not listed: add it with its default',
    );
    expect(lines).toContain(
      'services/beta-api/tests: service-probe-tests: no test requests /readyz: add one (createApp from @platform/core serves it)',
    );
  });

  it('reports each ESLint rule once, at the planted file', async () => {
    expect(await lint(planted.root)).toEqual([
      'services/alpha-api/src/planted/console.ts: no-console',
      'services/alpha-api/src/planted/cross.ts: @platform/guards/no-cross-service-import',
      'services/alpha-api/src/planted/enqueue.ts: @platform/guards/no-worker-code-in-api',
      'services/alpha-api/src/planted/env.ts: @platform/guards/no-process-env-outside-config',
      'services/alpha-api/src/planted/redis.ts: @platform/guards/no-redis-construction',
      'services/alpha-api/src/planted/route.ts: @platform/guards/v1-route-needs-auth',
      'services/alpha-api/src/planted/swallow.ts: @platform/guards/no-swallowed-errors',
      'services/alpha-api/tests/mock.test.ts: @platform/guards/no-mock-own-modules',
      'services/alpha-api/tests/weak.test.ts: @platform/guards/no-weak-assertions',
    ]);
  });
});
