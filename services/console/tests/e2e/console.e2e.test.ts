import { jobEventType } from '@platform/core';
import { EventPublisher } from '@platform/workers';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { ADMIN_KEY } from '../helpers/console.js';
import { startWorld, USER_ID, type World } from '../helpers/world.js';

const run = promisify(execFile);
let world: World;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startWorld({ services: ['qr-api', 'handwriting-ai'] }), launchBrowser()]);
  page = await loggedInPage(browser, world.console.url);
});
afterAll(async () => {
  await browser.close();
  await world.stop();
});

const open = (hash: string) => go(page, hash);

describe('the console in Chromium', () => {
  it('shows every service on the overview after logging in', async () => {
    await page.waitForSelector('.service .badge.ready');
    expect(await page.locator('article.service').count()).toBe(7);
    const qr = page.locator('article.service', { hasText: 'qr-api' });
    await expect.poll(() => qr.locator('.badge').textContent()).toBe('Ready');
    // No worker runs in this test: the service says so, and the console shows its reason.
    const handwriting = page.locator('article.service', { hasText: 'handwriting-ai' });
    await expect.poll(() => handwriting.locator('.reason').textContent()).toContain('no live worker on queue digits');
    expect(await handwriting.locator('.counts dd').count()).toBe(5);
    const music = page.locator('article.service', { hasText: 'music-wrapped-api' });
    expect(await music.locator('.badge').textContent()).toBe('Down');
  });

  it('uploads a file by drag and drop, previews it and downloads the same bytes', async () => {
    await open('#/files');
    const text = `hello from the console ${String(Date.now())}\n`;
    const id = createHash('sha256').update(text).digest('hex');
    await page.evaluate(`{
      const transfer = new DataTransfer();
      transfer.items.add(new File([${JSON.stringify(text)}], 'hello.txt', { type: 'text/plain' }));
      document.querySelector('.drop').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }`);
    await page.waitForSelector(`tr[data-id="${id}"]`);
    expect(await page.evaluate(`document.querySelector('.upload-progress').value`)).toBe(1);
    await page.locator(`tr[data-id="${id}"] button.link`).click();
    await expect.poll(() => page.locator('.preview-text').textContent()).toBe(text);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`tr[data-id="${id}"] a[download]`).click()]);
    expect(await readFile(await download.path(), 'utf8')).toBe(text);
  });

  it("shows a service's error envelope as its message", async () => {
    await open('#/qr');
    await page.getByRole('textbox', { name: 'URL' }).fill('not a url');
    const status = page.locator('.status[data-kind="error"]');
    await status.waitFor();
    const text = (await status.textContent()) ?? '';
    expect(text).not.toMatch(/^\{|"code"/);
    expect(text).toContain('url');
    expect(await page.locator('img.qr-preview').getAttribute('class')).toContain('stale');
  });

  it('makes a QR code as you type and its PNG download decodes with zbarimg', async () => {
    await open('#/qr');
    await page.getByLabel('Payload').selectOption('text');
    const message = 'console end-to-end';
    await page.getByRole('textbox', { name: 'Text' }).fill(message);
    await expect.poll(() => page.locator('.status').textContent()).toBe('preview is up to date');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PNG' }).click()]);
    const { stdout } = await run('zbarimg', ['--raw', '-q', await download.path()]);
    expect(stdout.trim()).toBe(message);
  });

  it('reads a digit drawn with the mouse', async () => {
    await open('#/digits');
    const pad = page.locator('canvas.pad');
    const box = await pad.boundingBox();
    if (!box) throw new Error('no drawing pad');
    const at = (x: number, y: number) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
    // A seven: the bar, then the stem down to the lower left.
    await page.mouse.move(...at(70, 60));
    await page.mouse.down();
    for (const [x, y] of [
      [140, 60],
      [210, 60],
      [180, 130],
      [150, 190],
      [125, 240],
    ] as const)
      await page.mouse.move(...at(x, y), { steps: 8 });
    await page.mouse.up();
    await expect.poll(() => page.locator('.answer').getAttribute('data-digit'), { timeout: 15_000 }).toBe('7');
    expect(await page.locator('.bars li').count()).toBe(10);
    expect(await page.locator('img.seen').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
  });

  it('follows a live event and links to its job', async () => {
    await open('#/live');
    await expect.poll(() => page.locator('.status').textContent()).toContain('connected');
    const publisher = new EventPublisher(world.console.redis, { namespace: world.console.namespace });
    await publisher.publish({
      type: jobEventType('qr', 'progress'),
      domain: 'qr',
      job_id: 'e2e-live-job',
      user_id: USER_ID,
      ts: new Date().toISOString(),
      progress: 42,
      message: 'half way',
    });
    const row = page.locator('tr.event', { hasText: 'e2e-live-job' });
    await row.waitFor();
    expect(await row.textContent()).toContain('42% · half way');
    await row.getByRole('link', { name: 'e2e-live-job' }).click();
    await page.waitForSelector('h1 code');
    expect(await page.locator('h1 code').textContent()).toBe('e2e-live-job');
  });

  it('logs in and reaches a page with the keyboard only', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const phone = await context.newPage();
    await phone.goto(`${world.console.url}/`);
    await phone.locator('input[name="key"]').waitFor();
    await phone.keyboard.type(ADMIN_KEY);
    await phone.keyboard.press('Enter');
    await phone.waitForSelector('#nav a[aria-current="page"]');
    let focused = '';
    for (let presses = 0; presses < 15 && focused !== 'Files'; presses++) {
      await phone.keyboard.press('Tab');
      focused = String(await phone.evaluate('document.activeElement && document.activeElement.textContent'));
    }
    expect(focused).toBe('Files');
    await phone.keyboard.press('Enter');
    await phone.waitForSelector('.drop');
    expect(phone.url()).toContain('#/files');
    await context.close();
  });
});
