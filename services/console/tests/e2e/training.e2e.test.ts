// The Training page against the real model-trainer: its API and its worker, which trains with the
// PyTorch kernel under /usr/bin/python3 on the CPU, on the real data-bank and Redis.
import { metricsEventType } from '@platform/core';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { startWorld, type World } from '../helpers/world.js';

const CORPUS = fileURLToPath(new URL('../../../model-trainer/tests/fixtures/shakespeare-excerpt.txt', import.meta.url));
const SHIPPED_RUN = 'char-lstm-shakespeare-v1';

let world: World;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startWorld({ services: ['model-trainer'] }), launchBrowser()]);
  page = await loggedInPage(browser, world.console.url);
});
afterAll(async () => {
  await browser.close();
  await world.stop();
});

/** The trainer's step events of a run on the world's Redis stream. */
async function stepEvents(runId: string): Promise<number> {
  const { redis, namespace } = world.console;
  const entries = await redis.xrange(`${namespace}events:trainer`, '-', '+');
  return entries.filter(([, fields]) => {
    const event = JSON.parse(fields[fields.indexOf('event') + 1] ?? '{}') as { type?: string; job_id?: string };
    return event.type === metricsEventType('trainer', 'step') && event.job_id === runId;
  }).length;
}

describe('the Training page with the real model-trainer', () => {
  it('starts a tiny run from the page whose curve gets points from the metrics events, and cancels it', async () => {
    const { file_id: corpus } = await world.bank.client.upload(
      { kind: 'buffer', data: await readFile(CORPUS) },
      { contentType: 'text/plain' },
    );
    await go(page, '#/training');
    await page.getByLabel('Family').selectOption('gpt2');
    await page.getByLabel('Size').selectOption('tiny');
    await page.getByLabel('Device').selectOption('cpu');
    await page.getByLabel('Threads').fill('1');
    await page.getByLabel('Corpus').fill(corpus);
    await page.getByLabel('Context').fill('32');
    await page.getByLabel('Batch').fill('8');
    await page.getByLabel('Budget (s)').fill('20');
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/#\/training\/[^/]+$/);
    const runId = decodeURIComponent(page.url().split('#/training/')[1] ?? '');
    // The kernel writes a step at most every 2 s; the worker publishes each as trainer.metrics.step.v1.
    await expect.poll(() => stepEvents(runId), { timeout: 90_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    await expect
      .poll(async () => Number(await page.locator('.chart').getAttribute('data-points')), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    await expect.poll(async () => Number(await page.locator('dd.step').textContent()), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator('.facts .badge').textContent()).toBe('processing');

    await page.getByRole('button', { name: 'Cancel run' }).click();
    // The kernel saves last.pt on SIGTERM and the run ends cancelled.
    await expect.poll(() => page.locator('.facts .badge').textContent(), { timeout: 30_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Cancel run' }).isDisabled()).toBe(true);
  }, 180_000);

  it("streams a generation from the shipped public run's model token by token", async () => {
    await go(page, `#/training/${SHIPPED_RUN}`);
    await expect.poll(() => page.locator('.facts .badge').textContent(), { timeout: 15_000 }).toBe('completed');
    await page.getByLabel('Max tokens').fill('40');
    await page.getByRole('button', { name: 'Generate' }).click();
    const status = page.locator('.playground .status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^40 tokens in /);
    // A character model: the prompt, then one character per streamed token.
    const text = (await page.locator('pre.generated').textContent()) ?? '';
    expect(text.startsWith('ROMEO:')).toBe(true);
    expect(text.length).toBe('ROMEO:'.length + 40);
  }, 60_000);
});
