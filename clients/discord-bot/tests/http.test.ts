import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { createServer, type Server } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../src/bot.js';
import { startTestBot, testNamespace } from './helpers/bot.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { freePort } from '@platform/testing';
import { startService, type ServiceProcess } from './helpers/processes.js';
import { interactionKeys } from './helpers/signing.js';

const ADMIN = '555555555555555555';

/** A TCP relay that holds each connection's first bytes for `delayMs`: a slow network to a real service. */
async function slowRelay(target: string, delayMs: number): Promise<{ url: string; server: Server }> {
  const { port, hostname } = new URL(target);
  const server = createServer((socket) => {
    socket.pause();
    setTimeout(() => {
      const upstream = connect(Number(port), hostname);
      socket.pipe(upstream).pipe(socket);
      socket.resume();
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    }, delayMs);
  });
  const listenPort = await freePort();
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${listenPort}`, server };
}

describe('HTTP interactions endpoint', () => {
  const keys = interactionKeys();
  let fake: FakeDiscord;
  let turkic: ServiceProcess;
  let qr: ServiceProcess;
  let dataBank: DataBankProcess;
  let slow: { url: string; server: Server } | undefined;
  let bot: Bot | undefined;
  let endpoint: string;

  beforeAll(async () => {
    [fake, turkic, qr, dataBank] = await Promise.all([
      FakeDiscord.start(),
      startService('turkic-api', { TURKIC_API_KEYS: 'turkic-key' }),
      startService('qr-api', { RATE_LIMIT_MAX: '0' }),
      startDataBankProcess(),
    ]);
    slow = await slowRelay(qr.url, 2_600);
    bot = await startTestBot(fake, testNamespace('http'), {
      DISCORD_TRANSPORT: 'http',
      DISCORD_PUBLIC_KEY: keys.publicKeyHex,
      DISCORD_HTTP_PORT: '0',
      DISCORD_ADMIN_USER_IDS: ADMIN,
      TURKIC_API_URL: turkic.url,
      TURKIC_API_KEY: 'turkic-key',
      QR_API_URL: slow.url,
      DATA_BANK_URL: dataBank.url,
      DATA_BANK_API_KEY: dataBank.apiKey,
    });
    endpoint = `${bot.url ?? ''}/interactions`;
  });
  afterAll(async () => {
    await bot?.close();
    slow?.server.close();
    await Promise.all([fake.close(), turkic.stop(), qr.stop(), dataBank.stop()]);
  });

  const post = (body: string, headers: Record<string, string>) =>
    fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const signed = (payload: object) => {
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return post(body, { 'x-signature-ed25519': keys.sign(timestamp, body), 'x-signature-timestamp': timestamp });
  };

  it('serves the platform probes beside /interactions', async () => {
    const base = bot?.url ?? '';
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('answers a signed PING with PONG', async () => {
    const response = await signed({ id: '1', type: 1, application_id: fake.applicationId, token: 't', version: 1 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  it('refuses a missing, malformed or tampered signature with 401 in the envelope', async () => {
    const body = JSON.stringify({ id: '1', type: 1, application_id: fake.applicationId, token: 't', version: 1 });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = keys.sign(timestamp, body);
    const answers = await Promise.all([
      post(body, {}),
      post(body, { 'x-signature-ed25519': 'zz', 'x-signature-timestamp': timestamp }),
      post(body.replace('"type":1', '"type":2'), { 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }),
      post(body, { 'x-signature-ed25519': signature, 'x-signature-timestamp': String(Number(timestamp) + 1) }),
      post(body, { 'x-signature-ed25519': interactionKeys().sign(timestamp, body), 'x-signature-timestamp': timestamp }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(await answer.json()).toMatchObject({ code: 'UNAUTHORIZED', message: 'invalid request signature' });
    }
  });

  it('/turkic transliterate answers in the HTTP response, against the real turkic-api', async () => {
    const interaction = fake.interaction({
      name: 'turkic',
      options: [
        {
          type: 1,
          name: 'transliterate',
          options: [
            { type: 3, name: 'text', value: 'Сәлем' },
            { type: 3, name: 'language', value: 'kk' },
            { type: 3, name: 'target', value: 'latin' },
          ],
        },
      ],
    });
    const response = await signed(interaction);
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { type: number; data: { content: string } };
    expect(answer.type).toBe(4);
    expect(answer.data.content.toLowerCase()).toMatch(/^s[äa]lem$/);
  });

  it('autocompletes languages from turkic-api', async () => {
    const interaction = fake.interaction({
      type: 4,
      name: 'turkic',
      options: [{ type: 1, name: 'transliterate', options: [{ type: 3, name: 'language', value: 'kaz', focused: true }] }],
    });
    const answer = (await (await signed(interaction)).json()) as { type: number; data: { choices: { name: string; value: string }[] } };
    expect(answer.type).toBe(8);
    expect(answer.data.choices).toContainEqual({ name: 'Kazakh (kk)', value: 'kk' });
  });

  it('defers a slow command within 3 s, then edits the original with the result', async () => {
    const interaction = fake.interaction({
      name: 'qr',
      options: [
        {
          type: 1,
          name: 'text',
          options: [
            { type: 3, name: 'text', value: 'hello' },
            { type: 3, name: 'format', value: 'text' },
          ],
        },
      ],
    });
    const started = Date.now();
    const response = await signed(interaction);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await response.json()).toEqual({ type: 5 });
    const edit = await fake.waitForRequest(
      'PATCH',
      new RegExp(`^/webhooks/${fake.applicationId}/${interaction.token}/messages/@original$`),
    );
    expect((edit.body as { content: string }).content).toMatch(/^```\n[▀▄█ ]+/);
  });

  it('/files is for admins; an admin gets the file info and the file itself as an attachment', async () => {
    const stored = await dataBank.client.upload({ kind: 'buffer', data: Buffer.from('corpus line one\n') }, { contentType: 'text/plain' });
    const ask = (sub: string, userId: string) =>
      fake.interaction({
        name: 'files',
        userId,
        options: [{ type: 1, name: sub, options: [{ type: 3, name: 'id', value: stored.file_id }] }],
      });
    const refused = (await (await signed(ask('info', '666666666666666666'))).json()) as { data: { content: string; flags: number } };
    expect(refused.data).toMatchObject({ content: "Only the bot's admins may use this.", flags: 64 });

    const info = (await (await signed(ask('info', ADMIN))).json()) as { data: { content: string; flags: number } };
    expect(info.data.flags).toBe(64);
    expect(info.data.content).toContain(`\`${stored.file_id}\`\n16 bytes, text/plain`);

    const get = await signed(ask('get', ADMIN));
    expect(get.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- reading one small answer in a test
    const form = await get.formData();
    expect(JSON.parse(form.get('payload_json') as string)).toMatchObject({
      type: 4,
      data: { flags: 64, attachments: [{ id: 0, filename: `${stored.file_id.slice(0, 12)}.txt` }] },
    });
    expect(await (form.get('files[0]') as Blob).text()).toBe('corpus line one\n');
  });

  it('a missing file ends in the service message, not "thinking…"', async () => {
    const interaction = fake.interaction({
      name: 'files',
      userId: ADMIN,
      options: [{ type: 1, name: 'info', options: [{ type: 3, name: 'id', value: 'a'.repeat(64) }] }],
    });
    const answer = (await (await signed(interaction)).json()) as { data: { content: string } };
    expect(answer.data.content).toMatch(/^❌ data-bank-api: /);
  });
});
