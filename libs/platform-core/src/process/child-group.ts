import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { signalGroup } from './proc.js';
import type { ScratchJob } from './scratch.js';

/** Why a child ended: on its own, or stopped by its timeout, its abort signal or the parent's shutdown. */
export type ChildEnd = 'exited' | 'timeout' | 'aborted' | 'shutdown';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  ended: ChildEnd;
}

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Aborting stops the child's whole process group. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping (default 5 s). */
  killGraceMs?: number;
  /** Records the child's process group in this job dir, so `sweep` can end it after a crash. */
  scratch?: ScratchJob;
}

export interface RunningChild {
  readonly pid: number;
  readonly stdin: Writable;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles once the child has exited and its group is gone. */
  readonly exit: Promise<ChildExit>;
  /** SIGTERM to the group, SIGKILL after the grace; resolves with the exit. */
  stop(reason?: ChildEnd): Promise<ChildExit>;
}

const running = new Set<RunningChild>();
let exitHookInstalled = false;

/** The last resort when the parent exits without stopping its children: SIGKILL every group. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) signalGroup(child.pid, 'SIGKILL');
  });
}

/** Stops every running child (a graceful-shutdown step); each ends with `ended: 'shutdown'`. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop('shutdown')));
}

/**
 * Starts `command` as the leader of its own process group, so stopping it also stops whatever it
 * started. The group ends when the signal aborts, on timeout, on `stopAllChildren`, and when the
 * leader exits (leftover members are killed: they belong to a finished job).
 */
export async function startChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<RunningChild> {
  options.signal?.throwIfAborted();
  const child = spawn(command, args, {
    detached: true,
    stdio: 'pipe',
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.env !== undefined && { env: options.env }),
  });
  const pid = child.pid;
  if (pid === undefined) {
    // Spawning failed (e.g. ENOENT): this rejects with the reason.
    await once(child, 'spawn');
    throw new Error(`${command} could not be started`);
  }
  const forget = options.scratch?.recordGroup(pid) ?? (() => undefined);
  let ended: ChildEnd = 'exited';
  let killTimer: NodeJS.Timeout | undefined;

  const exit = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      signalGroup(pid, 'SIGKILL');
      clearTimeout(killTimer);
      clearTimeout(timeout);
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(handle);
      forget();
      resolve({ code, signal, ended });
    });
  });

  const stop = (reason: ChildEnd = 'aborted') => {
    if (child.exitCode === null && child.signalCode === null && killTimer === undefined) {
      ended = reason;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.killGraceMs ?? 5000);
    }
    return exit;
  };
  const onAbort = () => void stop('aborted');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timeout = options.timeoutMs === undefined ? undefined : setTimeout(() => void stop('timeout'), options.timeoutMs);

  const handle: RunningChild = { pid, stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, exit, stop };
  running.add(handle);
  installExitHook();
  return handle;
}
