import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { closeRedis, createQueue, createRedis } from '@platform/workers';
import { isolatedRedisPrefix, spawnSource, waitFor, type SourceProcess } from '@platform/testing';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRANSCRIPT_QUEUE, transcriptionJob } from '../src/jobs/transcribe.js';
import { steadyTone } from './helpers/audio.js';
import { REDIS_URL } from './helpers/service.js';

const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const keys = isolatedRedisPrefix('transcript-orphans');

let dir: string;
let scratchRoot: string;
let bank: DataBankProcess;
let slowFfmpeg: string;
let fileId: string;

/** A process is gone once /proc has no entry for it or it is a zombie nobody reaped yet. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    // No /proc entry: the process has exited and been reaped.
    return false;
  }
}

/** The real worker entry (src/worker.ts) as a child process. */
function startWorkerProcess(): SourceProcess {
  return spawnSource('src/worker.ts', {
    cwd: serviceDir,
    env: {
      REDIS_URL,
      TRANSCRIPT_QUEUE_PREFIX: keys.prefix,
      TRANSCRIPT_EVENTS_NAMESPACE: `${keys.prefix}:`,
      DATA_BANK_URL: bank.url,
      DATA_BANK_API_KEY: bank.apiKey,
      TRANSCRIPT_TMP_DIR: scratchRoot,
      FFMPEG_PATH: slowFfmpeg,
      STT_PROVIDER: 'local',
      LOG_LEVEL: 'silent',
    },
  });
}

/** The pid of an ffmpeg that a job dir records as running (its `.group-<pid>.json`). */
async function recordedFfmpeg(): Promise<{ pid: number; jobDir: string } | undefined> {
  // Dirs and processes come and go while the worker runs: one that vanished mid-scan just isn't the ffmpeg yet.
  for (const job of await readdir(scratchRoot).catch(() => [])) {
    // A job dir removed meanwhile has no files left to look at.
    for (const name of await readdir(join(scratchRoot, job)).catch(() => [])) {
      const pid = Number(/^\.group-(\d+)\.json$/.exec(name)?.[1]);
      if (!pid) continue;
      const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => ''); // exited already
      if (command.trim() === 'ffmpeg') return { pid, jobDir: join(scratchRoot, job) };
    }
  }
  return undefined;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'transcript-orphans-'));
  scratchRoot = join(dir, 'scratch');
  bank = await startDataBankProcess();
  // ffmpeg reading its input at real-time speed: a 60 s decode that is still running when the worker dies.
  slowFfmpeg = join(dir, 'slow-ffmpeg');
  await writeFile(slowFfmpeg, '#!/bin/sh\nexec ffmpeg -re "$@"\n');
  await chmod(slowFfmpeg, 0o755);
  const clip = await readFile(await steadyTone(dir, 'minute.wav', 60));
  const stored = await fetch(`${bank.url}/v1/files`, {
    method: 'POST',
    headers: { 'x-api-key': bank.apiKey, 'content-type': 'audio/wav' },
    body: clip,
  });
  fileId = ((await stored.json()) as { file_id: string }).file_id;
});

afterAll(async () => {
  await bank.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('a worker killed with SIGKILL mid-job', () => {
  it('leaves ffmpeg running, and the next worker ends it and removes the job dir', async () => {
    const redis = createRedis(REDIS_URL, 'command');
    const queue = createQueue({ connection: redis, queue: TRANSCRIPT_QUEUE, prefix: keys.prefix });
    let orphan: number | undefined;
    const workers: SourceProcess[] = [];
    try {
      const first = startWorkerProcess();
      workers.push(first);
      await transcriptionJob.enqueue(queue, {
        user_id: '1',
        source: { kind: 'data_bank', file_id: fileId },
        format: 'json',
      });
      let found: Awaited<ReturnType<typeof recordedFfmpeg>>;
      await waitFor(async () => (found = await recordedFfmpeg()) !== undefined, 30_000, 'the job to start ffmpeg');
      const running = found as NonNullable<typeof found>;
      orphan = running.pid;

      first.child.kill('SIGKILL');
      await once(first.child, 'exit');
      await sleep(500);
      // Its own process group outlives the worker: nothing ended it.
      expect(isRunning(running.pid)).toBe(true);

      const second = startWorkerProcess();
      workers.push(second);
      await waitFor(() => !isRunning(running.pid), 30_000, 'the sweep to end ffmpeg');
      const jobName = basename(running.jobDir);
      await waitFor(async () => !(await readdir(scratchRoot)).includes(jobName), 30_000, 'the sweep to remove the job dir');
    } finally {
      await Promise.all(workers.map((worker) => worker.stop(0)));
      if (orphan !== undefined && isRunning(orphan)) process.kill(-orphan, 'SIGKILL');
      // Best effort: a failure here must not hide the test's own failure.
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await keys.cleanup(redis);
      await closeRedis(redis);
    }
  }, 60_000);
});
