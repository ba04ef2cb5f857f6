// Real platform services for the bot's tests, started from their sources as child processes.
import { spawnSource, startServiceProcess, type ServiceProcess, type SourceProcess } from '@platform/testing';
import { fileURLToPath } from 'node:url';

export type { ServiceProcess, SourceProcess };

const serviceDir = (service: string) => fileURLToPath(new URL(`../../../../services/${service}/`, import.meta.url));

/** Starts `services/<service>/src/main.ts` on a free port and waits for /healthz. */
export function startService(service: string, env: Record<string, string> = {}): Promise<ServiceProcess> {
  return startServiceProcess({ cwd: serviceDir(service), env });
}

/** Starts `services/<service>/src/worker.ts` (it has no HTTP port to wait for). */
export function startWorkerProcess(service: string, env: Record<string, string> = {}): SourceProcess {
  return spawnSource('src/worker.ts', { cwd: serviceDir(service), env });
}
