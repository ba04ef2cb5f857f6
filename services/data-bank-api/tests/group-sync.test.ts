import { describe, expect, it } from 'vitest';
import { GroupSync } from '../src/storage/group-sync.js';

/** An fsync that only finishes when the test says so. */
function controlledFsync() {
  const started: { path: string; finish: (error?: Error) => void }[] = [];
  const fsync = (path: string) =>
    new Promise<void>((resolve, reject) => {
      started.push({
        path,
        finish: (error) => {
          if (error) reject(error);
          else resolve();
        },
      });
    });
  return { started, fsync };
}

const settled = async (promise: Promise<void>) => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  return done;
};

describe('GroupSync', () => {
  it('answers callers that arrive during an fsync only after the next one, which they share', async () => {
    const { started, fsync } = controlledFsync();
    const group = new GroupSync(fsync);
    const first = group.sync('/d');
    await settled(first);
    expect(started).toHaveLength(1);

    // Arrive while the first fsync runs: its start predates their changes, so it cannot cover them.
    const second = group.sync('/d');
    const third = group.sync('/d');
    started[0]?.finish();
    await first;
    expect(await settled(second)).toBe(false);
    expect(started).toHaveLength(2); // one shared fsync for both

    started[1]?.finish();
    await Promise.all([second, third]);
    expect(started.map((entry) => entry.path)).toEqual(['/d', '/d']);
  });

  it('runs fsyncs of different paths independently and passes failures to every sharer', async () => {
    const { started, fsync } = controlledFsync();
    const group = new GroupSync(fsync);
    const a = group.sync('/a');
    const b1 = group.sync('/b');
    const b2 = group.sync('/b');
    await settled(a);
    expect(started.map((entry) => entry.path)).toEqual(['/a', '/b']);
    started[1]?.finish(new Error('EIO'));
    await expect(b1).rejects.toThrow('EIO');
    await expect(b2).rejects.toThrow('EIO');
    started[0]?.finish();
    await a;

    // A failure does not wedge the path: the next caller gets a fresh fsync.
    const again = group.sync('/b');
    await settled(again);
    started[2]?.finish();
    await again;
    expect(started).toHaveLength(3);
  });
});
