import { noMockOwnModules } from '../../src/rules/no-mock-own-modules.js';
import { run } from './tester.js';

const filename = 'services/qr-api/tests/a.test.ts';

run('no-mock-own-modules', noMockOwnModules, {
  valid: [
    { code: "vi.mock('node:fs');", filename },
    { code: "vi.mock('discord.js', () => ({}));", filename },
    { code: 'vi.fn();', filename },
  ],
  invalid: [
    { code: "vi.mock('../src/app.js');", filename, errors: [{ messageId: 'ownModule', data: { source: '../src/app.js' } }] },
    { code: "vi.mock('./helpers.js', () => ({}));", filename, errors: [{ messageId: 'ownModule' }] },
    { code: "vi.doMock('@platform/core');", filename, errors: [{ messageId: 'ownModule' }] },
    { code: "vi.mock(import('../src/redis.js'));", filename, errors: [{ messageId: 'ownModule' }] },
  ],
});
