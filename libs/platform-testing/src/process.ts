import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './ports.js';
import { waitForHealthy } from './wait.js';

export interface SourceProcess {
  child: ChildProcess;
  /** The last 20,000 characters the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL after `graceMs` (default 10 s), and waits for the exit. */
  stop(graceMs?: number): Promise<void>;
}

export interface ServiceProcess extends SourceProcess {
  url: string;
  port: number;
}

export interface SourceProcessOptions {
  /** The package directory the entry is relative to (its node_modules and package.json apply). */
  cwd: string;
  /** Variables on top of this process's environment (HOST=127.0.0.1 and LOG_LEVEL=warn by default). */
  env?: Record<string, string>;
  /** Extra node flags before the entry, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Echo the child's stderr to this process's stderr as it arrives (default: only collected). */
  echoStderr?: boolean;
}

const OUTPUT_LIMIT = 20_000;

/** Runs a TypeScript entry from its sources (`node --conditions=source --import tsx <entry>`). */
export function spawnSource(entry: string, options: SourceProcessOptions): SourceProcess {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--conditions=source', '--import', 'tsx', entry], {
    cwd: options.cwd,
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', (chunk: Buffer) => {
    collect(chunk);
    if (options.echoStderr === true) process.stderr.write(chunk);
  });
  return {
    child,
    output: () => output,
    stop: async (graceMs = 10_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(force);
    },
  };
}

/**
 * Starts a service's HTTP entry (default `src/main.ts`) from its sources with PORT set to a free port,
 * and waits until `/healthz` answers. A process that exits or stays silent fails with its output.
 */
export async function startServiceProcess(options: SourceProcessOptions & { entry?: string; timeoutMs?: number }): Promise<ServiceProcess> {
  const port = await freePort();
  const started = spawnSource(options.entry ?? 'src/main.ts', { ...options, env: { ...options.env, PORT: String(port) } });
  const url = `http://127.0.0.1:${String(port)}`;
  try {
    await waitForHealthy(`${url}/healthz`, started.child, options.timeoutMs ?? 60_000);
  } catch (error) {
    await started.stop(0);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}\n--- output of ${options.cwd} ---\n${started.output()}`, { cause: error });
  }
  return { ...started, url, port };
}
