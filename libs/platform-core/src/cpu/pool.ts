import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { AppError } from '../errors.js';

export interface CpuPoolOptions {
  /** The worker module: its default export is `(task) => result` (sync or async). See `workerModule`. */
  filename: string;
  /** Tasks running at once (default: available CPUs - 1, at least 1). */
  maxThreads?: number;
  /** Tasks waiting for a thread before `run` answers 503 (default: 2 x maxThreads). */
  maxQueue?: number;
  /**
   * Tasks one thread runs at once (default 1). More only helps async tasks that wait on work outside the
   * thread's JavaScript (sharp decodes on libvips threads): another task's JavaScript runs meanwhile.
   */
  tasksPerThread?: number;
  /** Seconds sent in Retry-After when the queue is full (default 1). */
  retryAfterSeconds?: number;
  /** Threads stop after this long without work (default 30 s). */
  idleTimeoutMs?: number;
  /** Heap limit of each thread in MiB; a task that exceeds it fails instead of growing the process. */
  maxHeapMb?: number;
}

export interface CpuRunOptions {
  /** Buffers handed to the worker without a copy; they are unusable in the caller afterwards. */
  transfer?: Buffer[];
  signal?: AbortSignal;
}

export interface CpuPool<Task, Result> {
  run(task: Task, options?: CpuRunOptions): Promise<Result>;
  /** Tasks running or waiting. */
  readonly pending: number;
  /** Finishes running and queued tasks, then stops the threads (a graceful-shutdown step). */
  close(): Promise<void>;
}

export function defaultMaxThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * The worker module named `name` next to `baseUrl` (pass `import.meta.url`): `name.js` when it exists
 * (compiled dist), else `name.ts` (sources run by vitest or tsx). Write the name without extension.
 */
export function workerModule(baseUrl: string, name: string): string {
  const compiled = fileURLToPath(new URL(`${name}.js`, baseUrl));
  return existsSync(compiled) ? compiled : fileURLToPath(new URL(`${name}.ts`, baseUrl));
}

/**
 * Only a Buffer that spans its whole ArrayBuffer is transferred: small Buffers share Node's pool,
 * and transferring that would detach unrelated Buffers. The others are copied as usual.
 */
function transferList(buffers: Buffer[] | undefined): ArrayBuffer[] | undefined {
  const movable = (buffers ?? [])
    .filter((buffer) => buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength)
    .map((buffer) => buffer.buffer)
    .filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer);
  return movable.length > 0 ? movable : undefined;
}

/**
 * A worker-thread pool for CPU-heavy work, so the event loop keeps answering. Concurrency and the
 * queue are bounded: when both are full, `run` throws AppError SERVICE_UNAVAILABLE (503) with
 * Retry-After instead of letting memory and latency grow.
 */
export function createCpuPool<Task, Result>(options: CpuPoolOptions): CpuPool<Task, Result> {
  const maxThreads = options.maxThreads ?? defaultMaxThreads();
  const maxQueue = options.maxQueue ?? 2 * maxThreads;
  const running = maxThreads * (options.tasksPerThread ?? 1);
  const piscina = new Piscina<Task, Result>({
    filename: options.filename,
    maxThreads,
    minThreads: 0,
    idleTimeout: options.idleTimeoutMs ?? 30_000,
    concurrentTasksPerWorker: options.tasksPerThread ?? 1,
    // TypeScript sources (tests, tsx in development) load through tsx in the worker only, and import
    // workspace packages from their sources too (the `source` condition), never from a stale dist/.
    ...(options.filename.endsWith('.ts') && { execArgv: ['--conditions=source', '--import', 'tsx'] }),
    ...(options.maxHeapMb !== undefined && { resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb } }),
  });
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  return {
    get pending() {
      return inFlight.size;
    },
    async run(task, runOptions = {}) {
      if (closed) throw new AppError('SERVICE_UNAVAILABLE', 'The service is shutting down');
      if (inFlight.size >= running + maxQueue) {
        throw new AppError('SERVICE_UNAVAILABLE', 'The server is busy; retry later', {
          headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        });
      }
      const list = transferList(runOptions.transfer);
      const result = piscina.run(task, {
        ...(list && { transferList: list }),
        ...(runOptions.signal && { signal: runOptions.signal }),
      });
      inFlight.add(result);
      try {
        return await result;
      } finally {
        inFlight.delete(result);
      }
    },
    async close() {
      closed = true;
      // Piscina's close drops tasks still queued for a thread that is starting; wait for them first.
      await Promise.allSettled(inFlight);
      await piscina.close();
    },
  };
}
