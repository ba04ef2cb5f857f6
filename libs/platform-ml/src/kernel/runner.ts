import { errorMessage, startChild, type Logger, type ScratchJob } from '@platform/core';
import { createInterface } from 'node:readline';
import { KernelFailedError, KernelUnavailableError, type KernelFailureKind } from '../errors.js';
import { KernelEvent, type KernelResult } from './events.js';

export interface KernelRunOptions {
  /** The interpreter, from `findPython`. */
  python: string;
  /** The kernel package, run as `python -m <module> <command>`. */
  module: string;
  /** The folder containing the kernel package. */
  cwd: string;
  command: string;
  /** Written to stdin as one JSON document. */
  request: unknown;
  /** Aborting cancels: SIGTERM to the kernel's process group, SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  onEvent?: (event: KernelEvent) => void;
  logger: Logger;
  /** Time the kernel gets to save a checkpoint and answer a cancel (default 10 s). */
  graceMs?: number;
  /** Records the kernel's process group so a restarted worker can end it after a crash. */
  scratch?: ScratchJob;
  env?: NodeJS.ProcessEnv;
}

const STDERR_TAIL_BYTES = 8 * 1024;

/** Keeps the last few KiB of stderr for the failure report. */
function tailKeeper() {
  let tail = '';
  return {
    add(line: string) {
      tail = `${tail}${line}\n`.slice(-STDERR_TAIL_BYTES);
    },
    get: () => tail,
  };
}

/**
 * Runs one kernel command (DESIGN.md section 7): the JSON request on stdin, JSON-lines events from
 * stdout (lines that are not events are logged and skipped), stderr to the logger. Resolves with the
 * result event; an error event, a non-zero exit or no result at all rejects with KernelFailedError,
 * an interpreter that cannot be started with KernelUnavailableError (an already aborted signal rethrows).
 */
export async function runKernel(options: KernelRunOptions): Promise<KernelResult> {
  const { logger, module, command } = options;
  const child = await startChild(options.python, ['-m', module, command], {
    cwd: options.cwd,
    killGraceMs: options.graceMs ?? 10_000,
    ...(options.signal && { signal: options.signal }),
    ...(options.scratch && { scratch: options.scratch }),
    ...(options.env && { env: options.env }),
  }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    throw new KernelUnavailableError(`${options.python} cannot be started: ${errorMessage(error)}`, {
      cause: error,
    });
  });
  const stderr = tailKeeper();
  let result: KernelResult | undefined;
  let failure: { message: string; kind: KernelFailureKind } | undefined;

  const stdoutDone = (async () => {
    for await (const line of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      let parsed: ReturnType<typeof KernelEvent.safeParse>;
      try {
        parsed = KernelEvent.safeParse(JSON.parse(line));
      } catch (error) {
        logger.warn({ kernel: module, line: line.slice(0, 500), err: error }, 'kernel wrote a line that is not JSON');
        continue;
      }
      if (!parsed.success) {
        logger.warn({ kernel: module, line: line.slice(0, 500) }, 'kernel wrote an unknown event');
        continue;
      }
      const event = parsed.data;
      if (event.event === 'result') result = event;
      if (event.event === 'error') failure ??= { message: event.message, kind: event.kind ?? 'system' };
      options.onEvent?.(event);
    }
  })();
  const stderrDone = (async () => {
    for await (const line of createInterface({ input: child.stderr, crlfDelay: Infinity })) {
      stderr.add(line);
      logger.info({ kernel: module, stream: 'stderr' }, line);
    }
  })();
  child.stdin.on('error', () => undefined);
  child.stdin.end(JSON.stringify(options.request));

  const [exit] = await Promise.all([child.exit, stdoutDone, stderrDone]);
  const cancelled = exit.ended === 'aborted';
  const fail = (message: string, kind: KernelFailureKind = 'system') =>
    new KernelFailedError(`kernel ${module} ${command}: ${message}`, {
      kind,
      code: exit.code,
      signal: exit.signal,
      cancelled,
      stderrTail: stderr.get(),
    });
  if (failure) throw fail(failure.message, failure.kind);
  if (exit.code !== 0) {
    throw fail(
      cancelled
        ? `cancelled, ended by ${exit.signal ?? `exit code ${String(exit.code)}`}`
        : `exited with ${exit.signal ?? `code ${String(exit.code)}`}`,
    );
  }
  if (!result) throw fail(cancelled ? 'cancelled without a result' : 'ended without a result event');
  return result;
}
