import { describe, expect, it } from 'vitest';
import { readBody, sendJson, startFakeHttpServer } from '../src/index.js';

describe('startFakeHttpServer', () => {
  it('serves the handler on a loopback url and closes with keep-alive connections open', async () => {
    const server = await startFakeHttpServer(async (request, response) => {
      sendJson(response, 201, { method: request.method, body: (await readBody(request)).toString() });
    });
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    let connections = 0;
    server.server.on('connection', () => (connections += 1));
    const response = await fetch(`${server.url}/echo`, { method: 'POST', body: 'hello' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ method: 'POST', body: 'hello' });
    expect(connections).toBe(1);
    await server.close();
    expect(server.server.listening).toBe(false);
    await expect(fetch(server.url)).rejects.toThrow(/fetch failed/);
  });

  it('answers 500 with the error when the handler throws', async () => {
    const server = await startFakeHttpServer(() => {
      throw new Error('fake broke');
    });
    try {
      const response = await fetch(server.url);
      expect(response.status).toBe(500);
      expect(await response.text()).toBe('Error: fake broke');
    } finally {
      await server.close();
    }
  });
});
