import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { noCrossServiceImport } from '../../src/rules/no-cross-service-import.js';
import { run } from './tester.js';

// A workspace with two services, so that their package names can be discovered.
const root = mkdtempSync(path.join(tmpdir(), 'guards-cross-'));
writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'fake', workspaces: ['services/*'] }));
for (const name of ['qr-api', 'data-bank-api']) {
  mkdirSync(path.join(root, 'services', name, 'src'), { recursive: true });
  writeFileSync(path.join(root, 'services', name, 'package.json'), JSON.stringify({ name }));
}
const at = (file: string) => path.join(root, file);

run('no-cross-service-import', noCrossServiceImport, {
  valid: [
    { code: "import { createApp } from '@platform/core';", filename: at('services/qr-api/src/app.ts') },
    { code: "import { x } from './routes/qr.js';", filename: at('services/qr-api/src/app.ts') },
    { code: "import { startDataBank } from 'data-bank-api/testing';", filename: at('services/qr-api/tests/a.test.ts') },
    { code: "import { startDataBank } from 'data-bank-api/testing';", filename: at('bench/qr/run.ts') },
    { code: "import { x } from 'qr-api';", filename: at('services/qr-api/tests/a.test.ts') },
    { code: "import { x } from 'data-bank-api';", filename: at('libs/platform-core/src/a.ts') },
  ],
  invalid: [
    {
      code: "import { x } from 'data-bank-api';",
      filename: at('services/qr-api/src/app.ts'),
      errors: [{ messageId: 'crossService', data: { from: 'qr-api', to: 'data-bank-api', source: 'data-bank-api' } }],
    },
    {
      code: "import { x } from 'data-bank-api/testing';",
      filename: at('services/qr-api/src/app.ts'),
      errors: [{ messageId: 'crossService' }],
    },
    {
      code: "import { x } from '../../data-bank-api/src/storage.js';",
      filename: at('services/qr-api/src/app.ts'),
      errors: [{ messageId: 'crossService' }],
    },
    {
      code: "export * from 'data-bank-api/src/x.js';",
      filename: at('services/qr-api/tests/a.test.ts'),
      errors: [{ messageId: 'crossService' }],
    },
    {
      code: "export const m = import('data-bank-api');",
      filename: at('services/qr-api/src/main.ts'),
      errors: [{ messageId: 'crossService' }],
    },
    {
      code: "export type T = import('data-bank-api').Config;",
      filename: at('services/qr-api/src/main.ts'),
      errors: [{ messageId: 'crossService' }],
    },
  ],
});
