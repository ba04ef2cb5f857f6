// The platform's real services as child processes (from their sources) for the console's end-to-end
// tests and screenshots.
import { spawnSource, startServiceProcess, type ServiceProcess, type SourceProcess } from '@platform/testing';
import { fileURLToPath } from 'node:url';

/** E2E_ECHO=1 shows the services' stderr as it comes (a failing world's logs). */
const echoStderr = process.env.E2E_ECHO === '1';

const serviceDir = (name: string) => fileURLToPath(new URL(`../../../${name}/`, import.meta.url));

/** `services/{name}/src/main.ts` on a free port, once its /healthz answers. */
export function startService(name: string, env: Record<string, string>): Promise<ServiceProcess> {
  return startServiceProcess({ cwd: serviceDir(name), env: { LOG_LEVEL: 'warn', ...env }, echoStderr });
}

/** `services/{name}/src/worker.ts`, the queue worker next to a service's API. */
export function startWorkerProcess(name: string, env: Record<string, string>): SourceProcess {
  return spawnSource('src/worker.ts', { cwd: serviceDir(name), env: { LOG_LEVEL: 'warn', ...env }, echoStderr });
}
