// The Turkic page's corpus jobs against the real turkic-api (API and worker): progress, then cancel.
import { startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
let browser: Browser;
let page: Page;
/** A corpus source that sends its headers and one sentence, then never ends: the job runs until cancelled. */
let endless: FakeHttpServer;

beforeAll(async () => {
  endless = await startFakeHttpServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.write('Қазақ тілі түркі тілдерінің қыпшақ тобына жатады.\n');
  });
  [world, browser] = await Promise.all([startWorld({ services: ['turkic-api'] }), launchBrowser()]);
  page = await loggedInPage(browser, world.console.url);
});
afterAll(async () => {
  await browser.close();
  await world.stop();
  await endless.close();
});

describe('the Turkic page with the real turkic-api', () => {
  it('starts a corpus job, shows it running and cancels it', async () => {
    await go(page, '#/turkic');
    const form = page.locator('form', { hasText: 'Corpus job' });
    await form.getByLabel('Language').selectOption('kk');
    await form.locator('select[name="source"]').selectOption('url');
    await form.getByLabel('Source location').fill(`${endless.url}/corpus.txt`);
    await form.getByRole('button', { name: 'Build corpus' }).click();
    const line = form.locator('.job-line');
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toContain('processing');
    await form.getByRole('button', { name: 'Cancel job' }).click();
    await expect.poll(() => line.textContent(), { timeout: 30_000 }).toContain('failed: cancelled by the user');
    expect(await form.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
  });
});
