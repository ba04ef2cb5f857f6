import { open } from 'node:fs/promises';

/** fsync(2) of a file or directory by path. */
async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Group commit for directory fsyncs. An fsync of a directory makes durable every change made in it before
 * the fsync started, so callers that arrive while one runs for the same path share the next one (started
 * once the running one ends) instead of each queueing their own. A caller's promise settles only after an
 * fsync that started after its call.
 */
export class GroupSync {
  /** The next fsync per path, not started yet: callers arriving now are covered by it. */
  private readonly queued = new Map<string, Promise<void>>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly fsync: (path: string) => Promise<void> = fsyncPath) {}

  sync(path: string): Promise<void> {
    const waiting = this.queued.get(path);
    if (waiting) return waiting;
    // The previous sync's failure belongs to its own waiters; this one starts anew.
    const previous = this.running.get(path)?.catch(() => undefined) ?? Promise.resolve();
    const next = previous.then(() => {
      this.queued.delete(path); // changes made from here on may miss this fsync
      const run = this.fsync(path);
      this.running.set(path, run);
      return run.finally(() => {
        if (this.running.get(path) === run) this.running.delete(path);
      });
    });
    this.queued.set(path, next);
    return next;
  }
}
