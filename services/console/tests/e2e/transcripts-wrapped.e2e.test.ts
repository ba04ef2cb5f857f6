// The Transcripts and Wrapped pages against the real transcript-api and music-wrapped-api (API and
// worker each) under the world's queue prefix and event namespace, with transcript-api's own fakes of
// YouTube and the speech-to-text provider.
import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { go, launchBrowser, loggedInPage } from '../helpers/browser.js';
import { SPOKEN, VIDEO } from '../helpers/fakes.js';
import { spotifyExport, toneWav } from '../helpers/media.js';
import { startWorld, type World } from '../helpers/world.js';

let world: World;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [world, browser] = await Promise.all([startWorld({ services: ['transcript-api', 'music-wrapped-api'] }), launchBrowser()]);
  page = await loggedInPage(browser, world.console.url);
});
afterAll(async () => {
  await browser.close();
  await world.stop();
});

/** Clicks a download button of the transcript and answers the file's text. */
async function download(format: string): Promise<string> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.transcript').getByRole('button', { name: format, exact: true }).click(),
  ]);
  expect(file.suggestedFilename()).toBe(`transcript.${format.toLowerCase()}`);
  return readFile(await file.path(), 'utf8');
}

describe('the Transcripts page with the real transcript-api', () => {
  it('shows the captions of a pasted YouTube URL with timestamps and downloads them as txt, srt and vtt', async () => {
    await go(page, '#/transcripts');
    await page.getByLabel('YouTube URL').fill(`https://www.youtube.com/watch?v=${VIDEO.id}`);
    await page.getByRole('button', { name: 'Get captions' }).click();
    await expect.poll(() => page.locator('.transcript h2').textContent(), { timeout: 20_000 }).toBe(VIDEO.title);
    const first = page.locator('.segments li').first();
    expect(await first.locator('time').textContent()).toMatch(/^00:00–00:0\d$/);
    expect(await first.textContent()).toContain("so today we're going");
    expect(await download('TXT')).toContain("so today we're going");
    expect(await download('SRT')).toMatch(/^1\r?\n00:00:00,080 --> 00:00:0\d,\d{3}\r?\nso today we're going/);
    expect(await download('VTT')).toMatch(/^WEBVTT\r?\n\r?\n00:00:00\.080 --> /);
  });

  it('transcribes a dropped audio file as a job and shows the result', async () => {
    await go(page, '#/transcripts');
    await page.evaluate(`{
      const bytes = Uint8Array.from(atob(${JSON.stringify(toneWav().toString('base64'))}), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'tone.wav', { type: 'audio/wav' }));
      document.querySelector('form.drop-target').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }`);
    await expect.poll(() => page.locator('.status').last().textContent(), { timeout: 60_000 }).toBe('transcribed');
    expect(await page.locator('.job-line').textContent()).toContain('completed 100%');
    const segments = await page.locator('.segments li').allTextContents();
    expect(segments.join(' ')).toContain(SPOKEN[0]);
    expect(segments[0]).toMatch(/^00:00–00:0\d /);
    expect(await download('TXT')).toContain(SPOKEN[1]);
  });
});

describe('the Wrapped page with the real music-wrapped-api', () => {
  it('uploads an export, follows the job and shows the card and the report', async () => {
    await go(page, '#/wrapped');
    await page.getByLabel('Year').fill('2023');
    await page.getByLabel('Streaming history export').setInputFiles({
      name: 'Streaming_History_Audio_2023.json',
      mimeType: 'application/json',
      buffer: Buffer.from(spotifyExport(60, 2023)),
    });
    await page.getByRole('button', { name: 'Make my Wrapped' }).click();
    await expect.poll(() => page.locator('.wrapped-result h2').textContent(), { timeout: 60_000 }).toBe('Wrapped 2023');
    // The card is a PNG the browser decoded (read through the console's proxy).
    await expect
      .poll(() => page.evaluate(`document.querySelector('img.wrapped-card').naturalWidth`), { timeout: 15_000 })
      .toBeGreaterThan(0);
    const report = page.frameLocator('iframe.report').locator('body');
    await expect.poll(() => report.textContent(), { timeout: 15_000 }).toContain('Björk');
  });
});
