// Job round trip on one Redis: enqueue -> processed -> completed event received, in a closed loop of
// `concurrency` clients. BullMQ through @platform/workers against Python RQ (Debian's python3-rq).
// Concurrency 1, 16 and 64: jobs/s of one worker process (docs/scaling.md sizes workers from it).
// `--topology sentinel,cluster` adds BullMQ rows on a master + replica + 3 sentinels and on a 3-master
// Cluster, started from Debian's redis-server for the run (as the @platform/workers tests do).
// usage: npm run bench -- jobs [--jobs 2000] [--topology sentinel,cluster]
import { createLogger, isJobEvent } from '@platform/core';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { parseArgs, promisify } from 'node:util';
import {
  EventPublisher,
  JobBase,
  closeRedis,
  connectRedis,
  createQueue,
  defineJob,
  handleJob,
  startWorker,
  subscribeEvents,
  type RedisTarget,
} from '@platform/workers';
import { startCluster, startSentinelTopology, type Topology } from '../../libs/platform-workers/tests/topology.js';
import { printTable, summarise, type BenchRow } from '../lib/report.js';

const { values } = parseArgs({
  options: { jobs: { type: 'string', default: '2000' }, topology: { type: 'string', default: '' } },
});
const totalJobs = Number(values.jobs);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DEBIAN_PYTHON = '/usr/bin/python3';
const logger = createLogger({ service: 'bench-jobs', level: 'warn' });

async function bullmqRoundTrip(target: string | RedisTarget, concurrency: number, jobs: number) {
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const namespace = `${prefix}:`;
  const queueName = 'bench';
  const noop = handleJob(
    defineJob({
      domain: 'bench',
      queue: queueName,
      name: 'noop',
      schema: JobBase,
      attempts: 1,
    }),
    () => Promise.resolve({ result: { ok: true } }),
  );
  const commands = connectRedis(target, 'command');
  const subscriber = connectRedis(target, 'subscriber');
  const queue = createQueue({ connection: commands, queue: queueName, prefix });
  const worker = startWorker({
    connection: connectRedis(target, 'blocking'),
    queue: queueName,
    prefix,
    handlers: [noop],
    publisher: new EventPublisher(commands, { namespace }),
    logger,
    concurrency,
  });
  const waiting = new Map<string, () => void>();
  const subscription = await subscribeEvents({
    redis: subscriber,
    domains: ['bench'],
    namespace,
    logger,
    onEvent: (event) => {
      if (isJobEvent(event, 'completed')) waiting.get(event.job_id)?.();
    },
  });
  await worker.worker.waitUntilReady();

  const latencies: number[] = [];
  const client = async () => {
    for (let i = 0; i < jobs / concurrency; i++) {
      const jobId = randomUUID();
      const done = new Promise<void>((resolve) => waiting.set(jobId, resolve));
      const started = performance.now();
      await noop.definition.enqueue(queue, { user_id: '1' }, { jobId });
      await done;
      waiting.delete(jobId);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const wallMs = performance.now() - started;

  await worker.close(1_000);
  await subscription.close();
  await queue.obliterate({ force: true });
  await queue.close();
  await closeRedis(subscriber);
  await closeRedis(commands);
  return summarise(latencies, wallMs);
}

async function rqRoundTrip(concurrency: number, jobs: number, workerClass: string) {
  const { stdout } = await promisify(execFile)(
    DEBIAN_PYTHON,
    [new URL('rq_peer.py', import.meta.url).pathname, redisUrl, String(jobs), String(concurrency), workerClass],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(stdout) as { wall_ms: number; latencies: number[] };
  return summarise(result.latencies, result.wall_ms);
}

const rqAvailable = existsSync(DEBIAN_PYTHON) && existsSync('/usr/lib/python3/dist-packages/rq');
if (!rqAvailable) process.stderr.write('python3-rq is not installed (apt-get install python3-rq): RQ rows skipped\n');

const topologies: [string, RedisTarget, Topology][] = [];
for (const name of values.topology.split(',').filter(Boolean)) {
  if (name === 'sentinel') {
    const sentinel = await startSentinelTopology();
    const target = {
      url: 'redis://ignored:6379/0',
      sentinel: { nodes: sentinel.sentinels, name: sentinel.name },
    };
    topologies.push(['bullmq on Sentinel (master + replica)', target, sentinel]);
  } else if (name === 'cluster') {
    const cluster = await startCluster();
    topologies.push(['bullmq on Cluster (3 masters)', { url: 'redis://ignored:6379', cluster: cluster.nodes }, cluster]);
  } else throw new Error(`unknown topology ${name} (sentinel, cluster)`);
}

type Subject = [name: string, run: () => Promise<ReturnType<typeof summarise>>];
const rows: BenchRow[] = [];
for (const concurrency of [1, 16, 64]) {
  // Every client sends the same number of jobs, so both sides run exactly the same count.
  const perClient = Math.floor((concurrency === 1 ? Math.min(totalJobs, 1000) : totalJobs) / concurrency);
  const jobs = perClient * concurrency;
  const subjects: Subject[] = [
    ['bullmq (@platform/workers)', () => bullmqRoundTrip(redisUrl, concurrency, jobs)],
    ...topologies.map(([name, target]): Subject => [name, () => bullmqRoundTrip(target, concurrency, jobs)]),
  ];
  // RQ runs one process per concurrent job: 64 Python processes would measure this machine's memory.
  if (rqAvailable && concurrency <= 16) {
    subjects.push(['rq (fork Worker)', () => rqRoundTrip(concurrency, jobs, 'rq.worker.Worker')]);
    subjects.push(['rq (SimpleWorker)', () => rqRoundTrip(concurrency, jobs, 'rq.worker.SimpleWorker')]);
  }
  for (const [subject, run] of subjects) {
    const summary = await run();
    rows.push({
      case: `concurrency ${concurrency}, ${summary.count} jobs`,
      subject,
      value: summary.perSecond,
      unit: 'jobs/s',
      extra: { 'p50 ms': summary.p50, 'p99 ms': summary.p99 },
    });
  }
}
printTable('Job round trip (enqueue -> processed -> completed event received), same Redis', rows, 'rq (fork Worker)');
await Promise.all(topologies.map(([, , topology]) => topology.stop()));
// Connections BullMQ duplicates internally may linger for a moment after close; the run is over.
process.exit(0);
