import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, startConsole, VIEWER_KEY, type TestConsole } from './helpers/console.js';

let bank: DataBankProcess;
let world: TestConsole;
const body = Buffer.from('{"hello":"console"}\n'.repeat(50));
const id = createHash('sha256').update(body).digest('hex');

beforeAll(async () => {
  bank = await startDataBankProcess({ apiKey: 'bank-key' });
  world = await startConsole({ DATA_BANK_URL: bank.url, DATA_BANK_API_KEY: 'bank-key' });
});
afterAll(async () => {
  await world.close();
  await bank.stop();
});

describe('the data-bank through the console', () => {
  it('uploads a raw body, lists, serves ranges and deletes, with the key added server-side', async () => {
    const viewer = await login(world.app, VIEWER_KEY);
    const admin = await login(world.app);
    const sent = await fetch(`${world.url}/api/data-bank/v1/files`, {
      method: 'POST',
      headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf, 'content-type': 'application/json' },
      body,
    });
    expect(sent.status).toBe(201);
    expect(await sent.json()).toMatchObject({ file_id: id, size: body.length, content_type: 'application/json' });

    const list = await fetch(`${world.url}/api/data-bank/v1/files?limit=5`, { headers: { cookie: viewer.cookie } });
    expect(await list.json()).toMatchObject({ files: [{ file_id: id }] });

    const range = await fetch(`${world.url}/api/data-bank/v1/files/${id}`, { headers: { cookie: viewer.cookie, range: 'bytes=0-9' } });
    expect(range.status).toBe(206);
    expect(range.headers.get('content-range')).toBe(`bytes 0-9/${String(body.length)}`);
    expect(range.headers.get('etag')).toBe(`"${id}"`);
    expect(await range.text()).toBe(body.subarray(0, 10).toString());

    const removed = await fetch(`${world.url}/api/data-bank/v1/files/${id}`, {
      method: 'DELETE',
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
    });
    expect(removed.status).toBe(204);
    const gone = await fetch(`${world.url}/api/data-bank/v1/files/${id}/info`, { headers: { cookie: viewer.cookie } });
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ code: 'NOT_FOUND', message: 'file not found' });
  });

  it("passes the service's own error envelope through and never echoes its key", async () => {
    const viewer = await login(world.app, VIEWER_KEY);
    const response = await fetch(`${world.url}/api/data-bank/v1/files/not-an-id`, {
      headers: { cookie: viewer.cookie, 'x-request-id': 'trace-me' },
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-request-id')).toBe('trace-me');
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'INVALID_INPUT', request_id: 'trace-me' });
    expect(text).not.toContain('bank-key');
  });

  it('does not pass the browser cookie or a browser-sent API key on', async () => {
    const viewer = await login(world.app, VIEWER_KEY);
    // A key the browser makes up is dropped: the console's own key is the one the service sees.
    const response = await fetch(`${world.url}/api/data-bank/v1/files`, { headers: { cookie: viewer.cookie, 'x-api-key': 'forged' } });
    expect(response.status).toBe(200);
  });
});
