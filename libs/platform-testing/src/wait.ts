import type { ChildProcess } from 'node:child_process';

/**
 * Polls until the predicate holds, or throws after `timeoutMs` naming `what`. A predicate that throws
 * counts as "not yet" (a server not accepting connections yet); its last error is in the timeout's message.
 */
export async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  for (;;) {
    try {
      if (await predicate()) return;
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(JSON.stringify(error));
    }
    if (Date.now() > deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${lastError.message})`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Waits until GET `url` (a started process's /healthz) answers 2xx; fails at once, naming the exit code,
 * when `child` exits first. The caller kills the child on failure (it may own more than one).
 */
export async function waitForHealthy(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const healthy = async () => child.exitCode !== null || child.signalCode !== null || (await fetch(url)).ok;
  await waitFor(healthy, timeoutMs, `${url} to answer`);
  if (child.exitCode !== null || child.signalCode !== null) {
    throw new Error(`the process behind ${url} exited (${String(child.exitCode ?? child.signalCode)}) before answering`);
  }
}
