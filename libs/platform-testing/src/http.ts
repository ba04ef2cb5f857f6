import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeHttpHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

export interface FakeHttpServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The listening node server, for what rides on it (a WebSocketServer, a `connection` counter). */
  server: Server;
  /** Drops open connections (keep-alive included) and stops listening. */
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 and a free port, standing in for an external service a test cannot
 * reach. A handler that throws or rejects answers 500 with the error's text, so a broken fake shows up
 * in the test's assertion instead of hanging the request.
 */
export async function startFakeHttpServer(handler: FakeHttpHandler): Promise<FakeHttpServer> {
  const server = createServer((request, response) => {
    Promise.resolve()
      .then(() => handler(request, response))
      .catch((error: unknown) => {
        if (!response.headersSent) response.statusCode = 500;
        response.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** The whole request body. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
