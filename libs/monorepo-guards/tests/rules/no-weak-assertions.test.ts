import { noWeakAssertions } from '../../src/rules/no-weak-assertions.js';
import { run } from './tester.js';

run('no-weak-assertions', noWeakAssertions, {
  valid: [
    "it('adds', () => { expect(add(1, 2)).toBe(3); });",
    "test('parses', async () => { const r = await parse(); expect(r).toBeDefined(); expect(r.id).toEqual('a'); });",
    "it('rejects', async () => { await expect(load()).rejects.toThrow(ConfigError); });",
    "it('polls', async () => { await expect.poll(() => count()).toBe(2); });",
    "it('helper', async () => { await expectProblem(response, 404); });",
    "it('asserts', () => { assert.equal(a, 1); });",
    "it('property', () => { fc.assert(fc.property(fc.string(), (s) => s.length >= 0)); });",
    "it('throws', () => { expect(() => parse('')).toThrow('empty'); });",
    "it.each([1, 2])('n %i', (n) => { expect(n).toBeGreaterThan(0); });",
    "it('soft', () => { expect.soft(x).toBe(1); });",
    "it.todo('later');",
    { code: "it('fuzz', async () => { await fuzzService(app); });", options: [{ assertionFunctions: ['fuzzService'] }] },
    "describe('x', () => { it('nested callbacks', async () => { await run(() => { expect(a).toBe(1); }); }); });",
  ],
  invalid: [
    { code: "it('exists', () => { expect(app).toBeDefined(); });", errors: [{ messageId: 'weakOnly' }] },
    { code: "test('truthy', () => { expect(a).toBeTruthy(); expect(b).toBeDefined(); });", errors: [{ messageId: 'weakOnly' }] },
    { code: "it('no throw', () => { expect(() => run()).not.toThrow(); });", errors: [{ messageId: 'weakOnly' }] },
    { code: "it('runs', async () => { await run(); });", errors: [{ messageId: 'noAssertion' }] },
    { code: "it.only('empty', () => {});", errors: [{ messageId: 'noAssertion' }] },
    { code: "it('fuzz', async () => { await fuzzService(app); });", errors: [{ messageId: 'noAssertion' }] },
    { code: "it('counts only', () => { expect.assertions(1); run(); });", errors: [{ messageId: 'noAssertion' }] },
  ],
});
