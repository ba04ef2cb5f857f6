// Real platform services for the bot's tests, started from their sources as child processes.
import { freePort, waitForHealthy } from '@platform/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ServiceProcess {
  url: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function spawnEntry(service: string, entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry], {
    cwd: fileURLToPath(new URL(`../../../../services/${service}/`, import.meta.url)),
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** Starts `services/<service>/src/worker.ts` (it has no HTTP port to wait for). */
export function startWorkerProcess(service: string, env: Record<string, string> = {}): { stop(): Promise<void> } {
  const worker = spawnEntry(service, 'src/worker.ts', env);
  return { stop: () => stopChild(worker) };
}

/** Starts `services/<service>/src/main.ts` on a free port (and its worker when asked) and waits for /healthz. */
export async function startService(service: string, env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const api = spawnEntry(service, 'src/main.ts', { ...env, PORT: String(port) });
  const worker = options.worker === true ? spawnEntry(service, 'src/worker.ts', env) : undefined;
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealthy(`${url}/healthz`, api, 60_000);
  } catch (error) {
    api.kill('SIGKILL');
    worker?.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    stop: async () => {
      await Promise.all([stopChild(api), ...(worker ? [stopChild(worker)] : [])]);
    },
  };
}
