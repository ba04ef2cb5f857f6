import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_KEY } from './console.js';

export const CHROMIUM = '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}

/** Opens the console and logs in through its form, like a person would. */
export async function loggedInPage(browser: Browser, url: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${url}/`);
  await page.getByLabel('Console key').fill(ADMIN_KEY);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForSelector('#nav a[aria-current="page"]');
  return page;
}

/** Opens a page of the web app; browser-side code is text, as this package's tsconfig has no DOM types. */
export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`location.hash = ${JSON.stringify(hash)}`);
}
