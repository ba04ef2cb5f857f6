// Real Redis topologies from Debian's redis-server (sentinels too, with --sentinel), as child processes (never
// --daemonize) on free loopback ports, each in its own temp dir; `stop` ends every process and removes
// the dirs, also after a failed test.
import { runChild, startChild, type RunningChild } from '@platform/core';
import { freePort as anyFreePort, isPortFree, waitFor } from '@platform/testing';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostPort } from '../src/index.js';

export interface RedisProcess {
  port: number;
  child: RunningChild;
  /** SIGTERM (Redis shuts down cleanly, waiting for its replicas), then waits for the exit. */
  stop(): Promise<void>;
}

/** A free port; with `bus`, port + 10000 (Redis Cluster's bus) is free too. */
export async function freePort(bus = false): Promise<number> {
  if (!bus) return anyFreePort();
  for (let tries = 0; tries < 100; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isPortFree(port)) && (await isPortFree(port + 10_000))) return port;
  }
  throw new Error('no free port');
}

/** One round trip of a command in the inline protocol; the reply's first line. */
export async function ask(port: number, command: string): Promise<string> {
  const socket = createConnection({ port, host: '127.0.0.1' });
  socket.on('error', () => undefined);
  try {
    await once(socket, 'connect');
    socket.write(`${command}\r\n`);
    const [data] = (await once(socket, 'data')) as [Buffer];
    return data.toString();
  } finally {
    socket.destroy();
  }
}

async function startProcess(command: string, args: string[], port: number): Promise<RedisProcess> {
  const child = await startChild(command, args, { killGraceMs: 10_000 });
  child.stdout.resume();
  child.stderr.resume();
  await waitFor(async () => (await ask(port, 'PING')).startsWith('+PONG'), 20_000, `${command} on ${port}`);
  return {
    port,
    child,
    stop: async () => {
      await child.stop();
    },
  };
}

export interface Topology {
  processes: RedisProcess[];
  stop(): Promise<void>;
}

async function withCleanup<T extends Topology>(dirs: string[], build: (processes: RedisProcess[]) => Promise<T>): Promise<T> {
  const processes: RedisProcess[] = [];
  const stop = async () => {
    await Promise.all(processes.map((process) => process.stop()));
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  try {
    const topology = await build(processes);
    topology.stop = stop;
    return topology;
  } catch (error) {
    await stop();
    throw error;
  }
}

const serverArgs = (port: number, dir: string) => [
  '--port',
  String(port),
  '--bind',
  '127.0.0.1',
  '--dir',
  dir,
  '--save',
  '',
  '--appendonly',
  'no',
];

export interface SentinelTopology extends Topology {
  name: string;
  master: RedisProcess;
  replica: RedisProcess;
  sentinels: HostPort[];
  /** The port of the master the sentinels name now. */
  currentMaster(): Promise<number>;
}

/** A master, one replica and 3 sentinels (quorum 2) that fail over 1 s after the master goes away. */
export async function startSentinelTopology(name = 'platform'): Promise<SentinelTopology> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-sentinel-'));
  return withCleanup([dir], async (processes) => {
    const [masterPort, replicaPort] = [await freePort(), await freePort()];
    const master = await startProcess('redis-server', [...serverArgs(masterPort, dir), '--dbfilename', 'master.rdb'], masterPort);
    processes.push(master);
    const replica = await startProcess(
      'redis-server',
      [...serverArgs(replicaPort, dir), '--dbfilename', 'replica.rdb', '--replicaof', '127.0.0.1', String(masterPort)],
      replicaPort,
    );
    processes.push(replica);
    await waitFor(
      async () => (await ask(replicaPort, 'INFO replication')).includes('master_link_status:up'),
      20_000,
      'the replica in sync',
    );
    const sentinels: HostPort[] = [];
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const conf = join(dir, `sentinel-${i}.conf`);
      await writeFile(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
          `sentinel down-after-milliseconds ${name} 1000`,
          `sentinel failover-timeout ${name} 5000`,
          '',
        ].join('\n'),
      );
      // `redis-server --sentinel` is what Debian's redis-sentinel links to; it needs no second package.
      processes.push(await startProcess('redis-server', [conf, '--sentinel'], port));
      sentinels.push({ host: '127.0.0.1', port });
    }
    const currentMaster = async () => {
      const reply = await ask(sentinels[0]?.port ?? 0, `SENTINEL get-master-addr-by-name ${name}`);
      return Number(reply.split('\r\n')[4]);
    };
    // Every sentinel must know the replica and the other sentinels before a failover can be voted.
    for (const sentinel of sentinels) {
      await waitFor(
        async () => {
          const info = await ask(sentinel.port, 'INFO sentinel');
          return /slaves=1,sentinels=3/.test(info);
        },
        20_000,
        'sentinels that know each other',
      );
    }
    return { name, master, replica, sentinels, currentMaster, processes, stop: () => Promise.resolve() };
  });
}

export interface ClusterTopology extends Topology {
  nodes: HostPort[];
}

/** A 3-master Redis Cluster (no replicas), slots spread by `redis-cli --cluster create`. */
export async function startCluster(size = 3): Promise<ClusterTopology> {
  const dirs = await Promise.all(Array.from({ length: size }, () => mkdtemp(join(tmpdir(), 'redis-cluster-'))));
  return withCleanup(dirs, async (processes) => {
    const nodes: HostPort[] = [];
    for (const dir of dirs) {
      const port = await freePort(true);
      const args = [
        ...serverArgs(port, dir),
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        'nodes.conf',
        '--cluster-node-timeout',
        '2000',
      ];
      processes.push(await startProcess('redis-server', args, port));
      nodes.push({ host: '127.0.0.1', port });
    }
    const created = await runChild(
      'redis-cli',
      ['--cluster', 'create', ...nodes.map((node) => `${node.host}:${node.port}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeoutMs: 30_000 },
    );
    if (created.code !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout.toString()}${created.stderr.toString()}`);
    for (const node of nodes) {
      await waitFor(async () => (await ask(node.port, 'CLUSTER INFO')).includes('cluster_state:ok'), 20_000, 'cluster_state:ok');
    }
    return { nodes, processes, stop: () => Promise.resolve() };
  });
}
