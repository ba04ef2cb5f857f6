// Workers on many hosts: hosts made of network namespaces, Redis on one, data-bank on another, two
// workers of one queue on each of two more. 500 jobs; mid-run one worker host is cut off (link down)
// and a worker on the other is killed with SIGKILL. Every job ends with exactly one terminal event, none
// completes twice (not even when the cut-off host comes back), and the cut-off host's jobs are finished
// by the others after the stall interval.
import { decodeEvent, type RunningChild } from '@platform/core';
import { closeRedis, createQueue, createRedis, eventNames } from '@platform/workers';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostsJob } from './fixtures/hosts-job.js';
import { createNetwork, netnsUnavailable, type Network } from './netns.js';

const JOBS = 500;
const API_KEY = 'hosts-test-key';
const serviceDir = fileURLToPath(new URL('..', import.meta.url));
const tsx = ['--conditions=source', '--import', 'tsx'];

const unavailable = await netnsUnavailable();

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (
    !(await Promise.resolve()
      .then(check)
      // A check that throws (not reachable yet) means "not yet".
      .catch(() => false))
  ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

interface Worker {
  host: string;
  child: RunningChild;
  started: Set<string>;
  done: Set<string>;
  ready: Promise<void>;
}

describe.skipIf(unavailable !== undefined)(
  `workers on many hosts${unavailable === undefined ? '' : ` (skipped: network namespaces are not permitted here: ${unavailable})`}`,
  () => {
    let network: Network | undefined;
    let root: string | undefined;
    const children: RunningChild[] = [];
    const workers: Worker[] = [];
    let redis: Redis | undefined;
    const net = (): Network => {
      if (!network) throw new Error('the network was not made');
      return network;
    };
    const redisClient = (): Redis => {
      if (!redis) throw new Error('Redis was not started');
      return redis;
    };
    const prefix = `hosts${randomUUID().slice(0, 8)}`;
    const namespace = `${prefix}:`;
    const ipOf = (host: string) => net().hosts.get(host)?.ip ?? '';

    beforeAll(async () => {
      network = await createNetwork(['redis', 'bank', 'w1', 'w2']);
      const dir = await mkdtemp(join(tmpdir(), 'data-bank-hosts-'));
      root = dir;
      const redisUrl = `redis://${ipOf('redis')}:6379/0`;
      children.push(
        await net().start(
          'redis',
          'redis-server',
          ['--bind', ipOf('redis'), '--port', '6379', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--dir', root],
          process.env,
        ),
      );
      const commands = createRedis(redisUrl, 'command');
      redis = commands;
      await until('Redis on its host', async () => Boolean(await commands.ping()), 15_000);

      const bankUrl = `http://${ipOf('bank')}:8001`;
      const bank = await net().start('bank', process.execPath, [...tsx, join(serviceDir, 'src/main.ts')], {
        ...process.env,
        HOST: ipOf('bank'),
        PORT: '8001',
        LOG_LEVEL: 'warn',
        REDIS_URL: redisUrl,
        DATA_BANK_ROOT: join(dir, 'files'),
        DATA_BANK_UPLOAD_KEYS: API_KEY,
        DATA_BANK_MIN_FREE_BYTES: '0',
      });
      children.push(bank);
      bank.stdout.resume();
      bank.stderr.resume();

      for (const host of ['w1', 'w1', 'w2', 'w2']) {
        const child = await net().start(host, process.execPath, [...tsx, join(serviceDir, 'tests/fixtures/netns-worker.ts')], {
          ...process.env,
          REDIS_URL: redisUrl,
          DATA_BANK_URL: bankUrl,
          DATA_BANK_API_KEY: API_KEY,
          HOST_NAME: host,
          BULL_PREFIX: prefix,
          EVENT_NAMESPACE: namespace,
        });
        children.push(child);
        child.stderr.resume();
        const worker: Worker = { host, child, started: new Set(), done: new Set(), ready: Promise.resolve() };
        worker.ready = new Promise((resolve) => {
          let rest = '';
          child.stdout.on('data', (chunk: Buffer) => {
            const lines = (rest + chunk.toString()).split('\n');
            rest = lines.pop() ?? '';
            for (const line of lines) {
              const [word, id = ''] = line.split(' ');
              if (word === 'ready') resolve();
              else if (word === 'start') worker.started.add(id);
              else if (word === 'done') worker.done.add(id);
            }
          });
        });
        workers.push(worker);
      }
      await until('data-bank on its host', async () => (await fetch(`${bankUrl}/healthz`)).ok, 60_000);
      await Promise.all(workers.map((worker) => worker.ready));
    }, 120_000);

    afterAll(async () => {
      await Promise.all(children.map((child) => child.stop()));
      if (redis) await closeRedis(redis);
      await network?.destroy();
      if (root !== undefined) await rm(root, { recursive: true, force: true });
    }, 60_000);

    it('finishes every job once, after a host is cut off and a worker is killed', { timeout: 120_000 }, async () => {
      const redis = redisClient();
      const queue = createQueue({ connection: redis, queue: 'hosts', prefix });
      const ids = Array.from({ length: JOBS }, (_, n) => `job-${n}`);
      for (let from = 0; from < JOBS; from += 50) {
        await Promise.all(ids.slice(from, from + 50).map((id, i) => hostsJob.enqueue(queue, { user_id: '1', n: from + i }, { jobId: id })));
      }
      const finished = async () => {
        const counts = await queue.getJobCounts('completed', 'failed');
        return (counts.completed ?? 0) + (counts.failed ?? 0);
      };

      await until('100 jobs finished', async () => (await finished()) >= 100, 60_000);
      const cutAt = Date.now();
      await net().setLink('w2', false);
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last lines from w2 arrive
      const cutOff = workers.filter((worker) => worker.host === 'w2');
      const strandedOnW2 = new Set(cutOff.flatMap((worker) => [...worker.started].filter((id) => !worker.done.has(id))));

      await until('200 jobs finished', async () => (await finished()) >= 200, 60_000);
      const victim = workers.find((worker) => worker.host === 'w1');
      if (victim) process.kill(-victim.child.pid, 'SIGKILL');

      await until('every job finished', async () => (await finished()) === JOBS, 90_000);
      // The cut-off host comes back with its stale jobs: none of them may complete a second time.
      await net().setLink('w2', true);
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      const entries = (await redis.xrange(eventNames('hosts_test', namespace).stream, '-', '+')) as [string, string[]][];
      const terminal = new Map<string, string[]>();
      for (const [, fields] of entries) {
        const event = decodeEvent(fields[fields.indexOf('event') + 1] ?? '');
        if (!('job_id' in event) || !/\.job\.(completed|failed)\.v1$/.test(event.type)) continue;
        terminal.set(event.job_id, [...(terminal.get(event.job_id) ?? []), event.type]);
      }
      expect(terminal.size).toBe(JOBS);
      for (const id of ids) expect(terminal.get(id), id).toHaveLength(1);
      // A job may fail only by stalling twice (cut off on w2, then on the killed worker).
      const counts = await queue.getJobCounts('completed', 'failed', 'active', 'wait');
      expect(counts).toMatchObject({ active: 0, wait: 0 });
      expect((counts.completed ?? 0) + (counts.failed ?? 0)).toBe(JOBS);
      expect(counts.failed ?? 0).toBeLessThanOrEqual(4);

      // The jobs the cut-off host had in hand were finished by the workers still connected (a job whose
      // completion reached Redis just before the cut, with its `done` line still in the pipe, is w2's).
      let pickedUp = 0;
      for (const id of strandedOnW2) {
        const stored = await queue.getJob(id);
        if (!stored || (await stored.getState()) === 'failed') continue;
        const host = (stored.returnvalue as { result?: { host?: string } } | undefined)?.result?.host;
        if (host === 'w1') pickedUp++;
        else expect(stored.finishedOn ?? Infinity, id).toBeLessThanOrEqual(cutAt + 100);
      }
      expect(pickedUp).toBeGreaterThan(0);
      await queue.close();
    });
  },
);
