import { once } from 'node:events';
import { createServer } from 'node:net';

/** A loopback port that is free right now (the kernel's pick for port 0), for a process a test starts. */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** Whether a given loopback port can be listened on now (for a port whose neighbour must be free too). */
export async function isPortFree(port: number): Promise<boolean> {
  const server = createServer();
  const listening = once(server, 'listening').then(
    () => true,
    () => false,
  );
  server.once('error', () => undefined);
  server.listen(port, '127.0.0.1');
  const free = await Promise.race([listening, once(server, 'error').then(() => false)]);
  if (free) await new Promise((resolve) => server.close(resolve));
  return free;
}
