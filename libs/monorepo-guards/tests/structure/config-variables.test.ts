import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configVariables, envExampleNames, ExportIndex } from '../../src/structure/config-variables.js';
import { listPackages } from '../../src/structure/workspace.js';

const root = mkdtempSync(path.join(tmpdir(), 'guards-config-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(file: string, text: string) {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
  return path.join(root, file);
}

write('package.json', JSON.stringify({ workspaces: ['libs/*', 'services/*'] }));
write('libs/core/package.json', JSON.stringify({ name: '@platform/core' }));
write(
  'libs/core/src/config.ts',
  "export const sharedEnv = { REDIS_URL: url(), HOST: z.string() };\nexport const SERVICES = { 'qr-api': { port: 1 } };\n",
);
write('libs/core/src/net/allow.ts', 'export const guardedFetchEnv = { FETCH_ALLOW_LIST: list() };\n');

describe('configVariables', () => {
  const index = () => new ExportIndex(root, listPackages(root));

  it('reads the keys of the schema passed to loadConfig, through spreads, local consts and package exports', () => {
    const file = write(
      'services/a/src/config.ts',
      `import { loadConfig, sharedEnv, guardedFetchEnv as fetchEnv } from '@platform/core';
const storageEnv = { DATA_ROOT: z.string(), 'S3_BUCKET': z.string().optional() };
const LIMITS = { NOT_ENV: 1 };
const schema = z.object({ ...sharedEnv, ...fetchEnv, ...storageEnv, PORT: port(1), camelCase: z.string() }).superRefine(check);
export const load = (env = process.env) => ({ ...loadConfig(schema, env), limit: LIMITS.NOT_ENV, mode: env.MODE_OVERRIDE });
`,
    );
    expect([...configVariables(file, index())].sort()).toEqual([
      'DATA_ROOT',
      'FETCH_ALLOW_LIST',
      'HOST',
      'MODE_OVERRIDE',
      'PORT',
      'REDIS_URL',
      'S3_BUCKET',
    ]);
  });

  it('follows every loadConfig call, .extend() and inline z.object() schemas', () => {
    const file = write(
      'services/b/src/config.ts',
      `const base = z.object({ A_ONE: z.string() });
export const api = () => loadConfig(base.extend({ A_TWO: z.string() }));
export const worker = () => loadConfig(z.object({ W_ONE: z.string() }).superRefine(x).transform(y), env);
`,
    );
    expect([...configVariables(file, index())].sort()).toEqual(['A_ONE', 'A_TWO', 'W_ONE']);
  });
});

describe('envExampleNames', () => {
  it('lists assignments, exported and commented-out ones, not prose that mentions a variable', () => {
    const file = write(
      'services/a/.env.example',
      '# Only used when STORE=redis.\nPORT=8000\nexport HOST=0.0.0.0\n# S3_BUCKET=\n\nLOG_LEVEL=\n',
    );
    expect([...envExampleNames(file)].sort()).toEqual(['HOST', 'LOG_LEVEL', 'PORT', 'S3_BUCKET']);
  });
});
