import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

export interface StallableProxy {
  /** A Redis URL that reaches the target through the proxy. */
  url: string;
  /** Stops moving bytes both ways for `ms` (connections stay open, like a paused Redis). */
  stall(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** A TCP proxy on port 0 in front of Redis that a test can stall, without pausing Redis for anyone else. */
export async function startStallableProxy(targetUrl: string): Promise<StallableProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let stalled = false;
  const server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port || 6379) });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      sockets.add(from);
      if (stalled) from.pause();
      from.on('data', (chunk) => to.write(chunk));
      from.on('close', () => {
        sockets.delete(from);
        to.destroy();
      });
      from.on('error', () => undefined);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${String(port)}${target.pathname}`,
    stall: async (ms) => {
      stalled = true;
      for (const socket of sockets) socket.pause();
      await new Promise((resolve) => setTimeout(resolve, ms));
      stalled = false;
      for (const socket of sockets) socket.resume();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
