import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild, stopAllChildren } from '../src/process/child-group.js';
import { bootId, groupMembers, procStat } from '../src/process/proc.js';
import { runChild } from '../src/process/run-child.js';
import { createScratchArea } from '../src/process/scratch.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'core-scratch-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function gone(check: () => boolean, withinMs = 2000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

describe('runChild', () => {
  it('returns the exit code and both outputs', async () => {
    const result = await runChild('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in' });
    expect(result).toMatchObject({ code: 3, signal: null, ended: 'exited', truncated: false });
    expect(result.stdout.toString()).toBe('in');
    expect(result.stderr.toString()).toBe('err\n');
  });

  it('keeps the start of stdout and the end of stderr within maxOutputBytes', async () => {
    const script = 'head -c 200000 /dev/zero; i=0; while [ $i -lt 2000 ]; do echo line$i >&2; i=$((i+1)); done';
    const result = await runChild('sh', ['-c', script], { maxOutputBytes: 1000 });
    expect(result.truncated).toBe(true);
    expect(result.stdout).toEqual(Buffer.alloc(1000));
    expect(result.stderr.length).toBe(1000);
    expect(result.stderr.toString().endsWith('line1999\n')).toBe(true);
  });

  it('stops the child at once when the signal aborts', async () => {
    const controller = new AbortController();
    const child = await startChild('sleep', ['60'], { signal: controller.signal });
    expect(groupMembers(child.pid).map((member) => member.pid)).toEqual([child.pid]);
    const started = Date.now();
    controller.abort();
    expect(await child.exit).toEqual({ code: null, signal: 'SIGTERM', ended: 'aborted' });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(groupMembers(child.pid)).toEqual([]);
  });

  it("kills the grandchildren too (sh -c 'sleep 60 & wait')", async () => {
    const controller = new AbortController();
    const child = await startChild('sh', ['-c', 'sleep 60 & wait'], { signal: controller.signal });
    await gone(() => groupMembers(child.pid).length === 2);
    expect(groupMembers(child.pid)).toHaveLength(2);
    controller.abort();
    await child.exit;
    expect(await gone(() => groupMembers(child.pid).length === 0)).toBe(true);
  });

  it('kills what the leader left running when it exits on its own', async () => {
    const result = await runChild('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!']);
    const sleeper = Number(result.stdout.toString());
    expect(result.ended).toBe('exited');
    expect(await gone(() => procStat(sleeper) === undefined)).toBe(true);
  });

  it('stops on timeout, with SIGKILL after the grace when SIGTERM is ignored', async () => {
    const started = Date.now();
    const result = await runChild('sh', ['-c', "trap '' TERM; while :; do sleep 0.05; done"], {
      timeoutMs: 200,
      killGraceMs: 300,
    });
    expect(result).toMatchObject({ ended: 'timeout', signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops every running child on shutdown', async () => {
    const children = await Promise.all([startChild('sleep', ['60']), startChild('sleep', ['60'])]);
    await stopAllChildren();
    expect((await Promise.all(children.map((child) => child.exit))).map((exit) => exit.ended)).toEqual(['shutdown', 'shutdown']);
  });

  it('rejects when the command does not exist', async () => {
    await expect(runChild('no-such-command-here', [])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('scratch area', () => {
  it('after the parent is SIGKILLed, sweep ends the group it left running and deletes its dir', async () => {
    const area = join(root, 'crash');
    const fixture = fileURLToPath(new URL('./fixtures/crashing-parent.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', fixture, area], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
    const { dir, pgid } = JSON.parse(line) as { dir: string; pgid: number };
    parent.kill('SIGKILL');
    await once(parent, 'exit');
    await gone(() => groupMembers(pgid).length === 2);
    expect(groupMembers(pgid).length).toBeGreaterThan(0);

    const report = await createScratchArea(area).sweep();
    expect(report).toEqual({ killedGroups: [pgid], removedDirs: [dir] });
    expect(await gone(() => groupMembers(pgid).length === 0)).toBe(true);
    expect(existsSync(dir)).toBe(false);
  });

  it('never kills a process whose pid was reused, and keeps the jobs of live processes', async () => {
    const area = createScratchArea(join(root, 'reuse'));
    const live = await area.createJob();
    const stranger = await startChild('sleep', ['60']);
    const exited = spawn('true');
    await once(exited, 'exit');
    const stale = join(area.root, 'job-stale');
    await mkdir(stale);
    const record = (pid: number, startTicks: number) => JSON.stringify({ pid, start_ticks: startTicks, boot_id: bootId() });
    await writeFile(join(stale, '.owner.json'), record(exited.pid ?? 0, 1));
    const strangerStart = procStat(stranger.pid)?.startTicks ?? 0;
    await writeFile(join(stale, `.group-${String(stranger.pid)}.json`), record(stranger.pid, strangerStart - 1));

    expect(await area.sweep()).toEqual({ killedGroups: [], removedDirs: [stale] });
    expect(procStat(stranger.pid)).toBeDefined();
    expect(existsSync(live.dir)).toBe(true);
    await stranger.stop();
    await live.dispose();
    expect(existsSync(live.dir)).toBe(false);
  });
});
