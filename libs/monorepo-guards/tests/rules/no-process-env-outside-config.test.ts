import { noProcessEnvOutsideConfig } from '../../src/rules/no-process-env-outside-config.js';
import { run } from './tester.js';

const read = 'export const level = process.env.LOG_LEVEL;';

run('no-process-env-outside-config', noProcessEnvOutsideConfig, {
  valid: [
    { code: 'export function load(env = process.env) { return env; }', filename: 'services/qr-api/src/config.ts' },
    { code: read, filename: 'services/data-bank-api/src/config/storage.ts' },
    { code: read, filename: 'scripts/env-init.ts' },
    { code: read, filename: 'bench/qr/run.ts' },
    { code: read, filename: 'services/qr-api/tests/process.test.ts' },
    { code: read, filename: 'services/data-bank-api/testing/index.ts' },
    { code: read, filename: 'libs/platform-core/vitest.config.ts' },
    { code: 'export const env = { process: 1 }.process;', filename: 'services/qr-api/src/app.ts' },
  ],
  invalid: [
    { code: read, filename: 'services/qr-api/src/app.ts', errors: [{ messageId: 'processEnv' }] },
    { code: "export const x = process['env'];", filename: 'libs/platform-core/src/log.ts', errors: [{ messageId: 'processEnv' }] },
    {
      code: "import { env } from 'node:process';\nexport const e = env;",
      filename: 'services/qr-api/src/main.ts',
      errors: [{ messageId: 'processEnv' }],
    },
  ],
});
