import { noRedisConstruction } from '../../src/rules/no-redis-construction.js';
import { run } from './tester.js';

run('no-redis-construction', noRedisConstruction, {
  valid: [
    { code: "import { Redis } from 'ioredis';\nexport const r = new Redis('redis://x');", filename: 'libs/platform-workers/src/redis.ts' },
    {
      code: "import { createRedis } from '@platform/workers';\nexport const r = createRedis('redis://x');",
      filename: 'services/qr-api/src/main.ts',
    },
    {
      code: "import type { Redis } from 'ioredis';\nexport class Redis2 {}\nexport const r = new Map();",
      filename: 'services/qr-api/src/app.ts',
    },
    { code: 'class Redis {}\nexport const r = new Redis();', filename: 'services/qr-api/src/app.ts' },
    {
      code: "import { Redis } from 'ioredis';\nexport const r = new Redis();",
      filename: 'libs/platform-testing/src/redis.ts',
      options: [{ allow: ['libs/platform-testing/src/redis.ts'] }],
    },
  ],
  invalid: [
    {
      code: "import { Redis } from 'ioredis';\nexport const r = new Redis('redis://x');",
      filename: 'services/qr-api/src/main.ts',
      errors: [{ messageId: 'construct', data: { name: 'Redis' } }],
    },
    {
      code: "import IORedis from 'ioredis';\nexport const r = new IORedis();",
      filename: 'services/qr-api/src/main.ts',
      errors: [{ messageId: 'construct' }],
    },
    {
      code: "import { Cluster as C } from 'ioredis';\nexport const r = new C([]);",
      filename: 'libs/platform-ml/src/x.ts',
      errors: [{ messageId: 'construct', data: { name: 'Cluster' } }],
    },
    {
      code: "import * as io from 'ioredis';\nexport const r = new io.Redis();",
      filename: 'services/qr-api/tests/a.test.ts',
      errors: [{ messageId: 'construct' }],
    },
  ],
});
