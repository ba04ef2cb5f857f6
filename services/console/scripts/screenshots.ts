// npm run screenshots -w console: every page of the console at 1280x800 and 390x844 (plus the overview
// in the dark theme, the login page, and overview and files at 320 and 2560 px), against the real
// services (model-trainer training on the CPU), into var/screenshots/.
import { jobEventType, metricsEventType } from '@platform/core';
import { EventPublisher } from '@platform/workers';
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchBrowser, loggedInPage } from '../tests/helpers/browser.js';
import { login } from '../tests/helpers/console.js';
import { VIDEO } from '../tests/helpers/fakes.js';
import { spotifyExport } from '../tests/helpers/media.js';
import { startWorld, USER_ID, type World } from '../tests/helpers/world.js';

const CORPUS = fileURLToPath(new URL('../../model-trainer/tests/fixtures/shakespeare-excerpt.txt', import.meta.url));
const OUT = fileURLToPath(new URL('../../../var/screenshots/', import.meta.url));
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

async function seed(world: World): Promise<{ runId: string; jobId: string }> {
  const { app, namespace, redis } = world.console;
  const { cookie, csrf } = await login(app);
  const upload = (body: string | Buffer, type: string) =>
    app.inject({
      method: 'POST',
      url: '/api/data-bank/v1/files',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': type },
      payload: body,
    });
  await upload('Сәлем, әлем! A small corpus line.\n'.repeat(20), 'text/plain');
  await upload(JSON.stringify({ report: 'wrapped', year: 2025, top: ['a', 'b'] }), 'application/json');
  const qr = await app.inject({
    method: 'POST',
    url: '/api/qr/v1/qr',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    payload: { url: 'https://example.com/' },
  });
  await upload(qr.rawPayload, 'image/png');
  const publisher = new EventPublisher(redis, { namespace });
  const ts = () => new Date().toISOString();
  const jobId = 'corpus-kk-0001';
  await publisher.publish({
    type: jobEventType('turkic', 'started'),
    domain: 'turkic',
    job_id: jobId,
    user_id: USER_ID,
    ts: ts(),
    queue: 'turkic',
  });
  await publisher.publish({
    type: jobEventType('turkic', 'progress'),
    domain: 'turkic',
    job_id: jobId,
    user_id: USER_ID,
    ts: ts(),
    progress: 40,
    message: 'kept 400 of 1000 sentences',
  });
  await publisher.publish({
    type: jobEventType('qr', 'completed'),
    domain: 'qr',
    job_id: 'qr-batch-17',
    user_id: USER_ID,
    ts: ts(),
    result_bytes: 2048,
  });
  await publisher.publish({
    type: jobEventType('transcript', 'failed'),
    domain: 'transcript',
    job_id: 'stt-9',
    user_id: '77',
    ts: ts(),
    error_kind: 'user',
    message: 'the file holds no audio track',
  });
  await publisher.publish({
    type: metricsEventType('digits', 'epoch'),
    domain: 'digits',
    job_id: 'digits-train-3',
    user_id: USER_ID,
    ts: ts(),
    metrics: { epoch: 2, train_loss: 0.081, val_accuracy: 0.987 },
  });
  const corpus = await world.bank.client.upload({ kind: 'buffer', data: await readFile(CORPUS) }, { contentType: 'text/plain' });
  const run = await app.inject({
    method: 'POST',
    url: '/api/trainer/v1/runs',
    headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
    payload: {
      user_id: USER_ID,
      family: 'gpt2',
      size: 'tiny',
      corpus_file_id: corpus.file_id,
      context_length: 32,
      batch_size: 8,
      time_budget_s: 60,
      eval_interval_s: 5,
      device: 'cpu',
      threads: 1,
    },
  });
  const started = run.json<{ run_id: string; job_id: string }>();
  // The real kernel's first steps and evaluation (best effort: a trainer that did not start shows its page as it is).
  for (let waited = 0; waited < 90_000; waited += 1_000) {
    const points = await app.inject({ url: `/api/trainer/v1/runs/${encodeURIComponent(started.run_id)}/metrics`, headers: { cookie } });
    if (points.statusCode === 200 && JSON.stringify(points.json()).split('val_loss":').length > 2) break;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return { runId: started.run_id, jobId: started.job_id };
}

async function drawSeven(page: Page): Promise<void> {
  const box = await page.locator('canvas.pad').boundingBox();
  if (!box) return;
  const at = (x: number, y: number) => [box.x + (x / 280) * box.width, box.y + (y / 280) * box.height] as const;
  await page.mouse.move(...at(70, 60));
  await page.mouse.down();
  for (const [x, y] of [
    [210, 60],
    [150, 190],
    [125, 240],
  ] as const)
    await page.mouse.move(...at(x, y), { steps: 8 });
  await page.mouse.up();
  // No answer (handwriting-ai down): the screenshot then shows the page's error line, which is the point.
  await page.waitForSelector('.answer[data-digit]', { timeout: 10_000 }).catch(() => undefined);
}

async function showCaptions(page: Page): Promise<void> {
  await page.getByLabel('YouTube URL').fill(`https://www.youtube.com/watch?v=${VIDEO.id}`);
  await page.getByRole('button', { name: 'Get captions' }).click();
  // No captions (transcript-api down): the page shows its error line, photographed as it is.
  await page.waitForSelector('.segments li', { timeout: 20_000 }).catch(() => undefined);
}

async function makeWrapped(page: Page): Promise<void> {
  await page.getByLabel('Year').fill('2023');
  await page.getByLabel('Streaming history export').setInputFiles({
    name: 'Streaming_History_Audio_2023.json',
    mimeType: 'application/json',
    buffer: Buffer.from(spotifyExport(60, 2023)),
  });
  await page.getByRole('button', { name: 'Make my Wrapped' }).click();
  // No card (music-wrapped-api down): the page shows its error line, photographed as it is.
  await page.waitForSelector('img.wrapped-card', { timeout: 60_000 }).catch(() => undefined);
  await page
    .frameLocator('iframe.report')
    .locator('main')
    .waitFor({ timeout: 15_000 })
    .catch(() => undefined); // as above
  // A full-page shot leaves the sandboxed (out-of-process) report frame blank, and Chromium paints it
  // only a moment after it comes on screen: it gets a shot of its own, then the page goes back to the top.
  const report = page.locator('iframe.report');
  const size = page.viewportSize();
  // No report (the job failed): the page's shot shows why.
  await report.scrollIntoViewIfNeeded().catch(() => undefined);
  await page.waitForTimeout(1_000);
  // As above: no report frame, no shot of it.
  await report.screenshot({ path: `${OUT}wrapped-report-${String(size?.width)}x${String(size?.height)}.png` }).catch(() => undefined);
  await page.evaluate('window.scrollTo(0, 0)');
}

const world = await startWorld({
  services: ['qr-api', 'handwriting-ai', 'model-trainer', 'turkic-api', 'transcript-api', 'music-wrapped-api'],
  bestEffort: true,
});
const browser = await launchBrowser();
for (const reason of world.missing) console.log(`not started (its page shows it down): ${reason}`);
try {
  await mkdir(OUT, { recursive: true });
  const { runId } = await seed(world);
  const shots: { name: string; hash: string; ready: string; act?: (page: Page) => Promise<void> }[] = [
    { name: 'overview', hash: '#/overview', ready: 'article.service .badge' },
    { name: 'queues', hash: '#/queues', ready: 'iframe.board' },
    { name: 'live', hash: '#/live', ready: 'tr.event' },
    { name: 'job', hash: '#/job/turkic/corpus-kk-0001', ready: 'tr.event' },
    { name: 'files', hash: '#/files', ready: 'tr[data-id]', act: (page) => page.locator('tr[data-id] button.link').first().click() },
    { name: 'qr', hash: '#/qr', ready: 'img.qr-preview[src]' },
    { name: 'digits', hash: '#/digits', ready: 'canvas.pad', act: drawSeven },
    { name: 'training', hash: '#/training', ready: 'form.run-form' },
    { name: 'training-run', hash: `#/training/${runId}`, ready: '.chart canvas' },
    { name: 'turkic', hash: '#/turkic', ready: 'section.card pre.output' },
    { name: 'transcripts', hash: '#/transcripts', ready: 'form.card', act: showCaptions },
    { name: 'wrapped', hash: '#/wrapped', ready: 'form.card', act: makeWrapped },
  ];
  for (const viewport of VIEWPORTS) {
    const page = await loggedInPage(browser, world.console.url, viewport);
    for (const shot of shots) {
      await page.evaluate(`location.hash = ${JSON.stringify(shot.hash)}`); // text: no DOM types in this tsconfig
      // A page whose service is down never shows its data: it is photographed as it is.
      await page.waitForSelector(shot.ready, { timeout: 10_000 }).catch(() => undefined);
      await shot.act?.(page);
      await page.waitForTimeout(900); // debounced previews and the first refresh
      const path = `${OUT}${shot.name}-${String(viewport.width)}x${String(viewport.height)}.png`;
      await page.screenshot({ path, fullPage: true });
      console.log(`wrote ${path}`);
    }
    await page.context().close();
  }
  const dark = await loggedInPage(browser, world.console.url);
  await dark.getByRole('button', { name: 'Dark theme' }).click();
  await dark.waitForTimeout(900);
  await dark.screenshot({ path: `${OUT}overview-dark-1280x800.png`, fullPage: true });
  // The narrowest phone the issue names and a large desktop screen.
  for (const viewport of [
    { width: 320, height: 640 },
    { width: 2560, height: 1440 },
  ]) {
    const page = await loggedInPage(browser, world.console.url, viewport);
    for (const name of ['overview', 'files']) {
      await page.evaluate(`location.hash = '#/${name}'`);
      await page.waitForTimeout(1_200);
      await page.screenshot({ path: `${OUT}${name}-${String(viewport.width)}x${String(viewport.height)}.png`, fullPage: true });
    }
    await page.context().close();
  }
  const login = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await login.goto(`${world.console.url}/`);
  await login.waitForSelector('form.login');
  await login.screenshot({ path: `${OUT}login-390x844.png` });
  console.log(`wrote the dark overview, the login page and overview/files at 320 and 2560 px to ${OUT}`);
} finally {
  await browser.close();
  await world.stop();
}
