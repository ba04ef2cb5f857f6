import { noWorkerCodeInApi } from '../../src/rules/no-worker-code-in-api.js';
import { run } from './tester.js';

const at = (file: string) => `/repo/${file}`;

run('no-worker-code-in-api', noWorkerCodeInApi, {
  valid: [
    { code: "import { corpusJob } from '../jobs/corpus.js';", filename: at('services/turkic-api/src/routes/corpus.ts') },
    { code: "import { corpusHandler } from './workers/corpus.js';", filename: at('services/turkic-api/src/worker.ts') },
    { code: "import { fetchDump } from '../services/dump.js';", filename: at('services/turkic-api/src/workers/corpus.ts') },
    { code: "import type { MaintenanceSchedule } from './workers/queue.js';", filename: at('services/data-bank-api/src/config.ts') },
    { code: "import { type MaintenanceSchedule } from './workers/queue.js';", filename: at('services/data-bank-api/src/config.ts') },
    { code: "export type { Schedule } from './workers/queue.js';", filename: at('services/data-bank-api/src/config.ts') },
    { code: "import { corpusHandler } from '../src/workers/corpus.js';", filename: at('services/turkic-api/tests/corpus.test.ts') },
    { code: "import { x } from '../workers/y.js';", filename: at('libs/platform-core/src/a/b.ts') },
  ],
  invalid: [
    {
      code: "import { wordCountHandler } from '../workers/word-count.js';",
      filename: at('templates/service/src/routes/word-counts.ts'),
      errors: [{ messageId: 'workerImport' }],
    },
    {
      code: "import { corpusHandler } from '../workers/corpus.js';",
      filename: at('services/turkic-api/src/routes/corpus.ts'),
      errors: [{ messageId: 'workerImport', data: { file: 'src/routes/corpus.ts', source: '../workers/corpus.js' } }],
    },
    {
      code: "import { trainJob } from './workers/train.js';",
      filename: at('services/model-trainer/src/app.ts'),
      errors: [{ messageId: 'workerImport' }],
    },
    {
      code: "export * from './workers/train.js';",
      filename: at('services/model-trainer/src/main.ts'),
      errors: [{ messageId: 'workerImport' }],
    },
    {
      code: "export const load = () => import('./worker.js');",
      filename: at('services/model-trainer/src/main.ts'),
      errors: [{ messageId: 'workerImport' }],
    },
  ],
});
