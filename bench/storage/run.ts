/**
 * data-bank's storage backends side by side, in the same run, on one machine:
 * - FileStore (hash while streaming + backend) on the S3 backend, against an S3-compatible server in this
 *   process (s3rver, as the tests use);
 * - FileStore on the filesystem backend (fsync'd, on the disk under .bench/);
 * - the AWS SDK alone against the same server: lib-storage Upload / PutObject / GetObject with no
 *   hashing, no temp object and no copy (the raw limit of that server through the SDK).
 * Cases: one big file up and down (MB/s), many 4 KiB files up (files/s, `--concurrency` at once).
 *
 * Subjects take turns for `--rounds` rounds and each keeps its best figure (the first round warms up).
 *
 *   npm run bench -- storage [--big-mib 64] [--small 1000] [--concurrency 16] [--rounds 3]
 */
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { FileStore } from '../../services/data-bank-api/src/services/file-store.js';
import type { StorageBackend } from '../../services/data-bank-api/src/storage/backend.js';
import { FsBackend } from '../../services/data-bank-api/src/storage/fs-backend.js';
import { S3Backend } from '../../services/data-bank-api/src/storage/s3-backend.js';
import { createS3Client } from '../../services/data-bank-api/src/storage/s3-client.js';
import { startS3Server } from '../../services/data-bank-api/tests/s3-server.js';
import { printTable, type BenchRow } from '../lib/report.js';

const { values } = parseArgs({
  options: {
    'big-mib': { type: 'string', default: '64' },
    small: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
  },
});
const BIG = Number(values['big-mib']) * 1024 * 1024;
const SMALL_COUNT = Number(values.small);
const CONCURRENCY = Number(values.concurrency);
const ROUNDS = Number(values.rounds);
const PART = 8 * 1024 * 1024;
const MiB = 1024 * 1024;

const work = join(resolve(import.meta.dirname, '../..'), '.bench', 'storage');
await rm(work, { recursive: true, force: true });
await mkdir(work, { recursive: true });

const big = randomBytes(BIG);
const smalls = Array.from({ length: SMALL_COUNT }, () => randomBytes(4096));
const chunks = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
    })(),
  );

async function drain(stream: AsyncIterable<unknown> | undefined): Promise<number> {
  let size = 0;
  for await (const chunk of stream ?? []) size += (chunk as Buffer).length;
  return size;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function inParallel<T>(items: T[], each: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++];
        if (item !== undefined) await each(item);
      }
    }),
  );
}

interface Subject {
  name: string;
  putBig(): Promise<string>;
  getBig(id: string): Promise<number>;
  putSmall(bytes: Buffer): Promise<unknown>;
}

function storeSubject(name: string, backend: StorageBackend): Subject {
  const store = new FileStore(backend, { maxFileBytes: 0, minFreeBytes: 0 });
  return {
    name,
    putBig: async () => (await store.save(chunks(big), { contentType: 'application/octet-stream' })).record.file_id,
    getBig: async (id) => drain(await backend.openRange(id, 0, BIG - 1)),
    putSmall: (bytes) => store.save(Readable.from([bytes]), { contentType: 'application/octet-stream' }),
  };
}

const server = await startS3Server('bench');
const client = createS3Client(server.settings);
const Bucket = server.settings.bucket;
let direct = 0;
const sdkSubject: Subject = {
  name: 'aws-sdk direct (same server)',
  putBig: async () => {
    const Key = `direct/big-${direct++}`;
    await new Upload({
      client,
      params: { Bucket, Key, Body: chunks(big) },
      partSize: PART,
      queueSize: 4,
    }).done();
    return Key;
  },
  getBig: async (Key) => drain((await client.send(new GetObjectCommand({ Bucket, Key }))).Body as Readable),
  putSmall: (bytes) => client.send(new PutObjectCommand({ Bucket, Key: `direct/small-${direct++}`, Body: bytes })),
};

const subjects = [
  storeSubject('S3Backend (data-bank)', await S3Backend.open(server.settings, { partSize: PART })),
  storeSubject('FsBackend (data-bank)', await FsBackend.open(join(work, 'fs'))),
  sdkSubject,
];

const best = new Map<string, BenchRow>();
const keep = (row: BenchRow) => {
  const key = `${row.case}|${row.subject}`;
  if ((best.get(key)?.value ?? -1) < row.value) best.set(key, row);
};
for (let round = 0; round < ROUNDS; round++) {
  for (const subject of subjects) {
    let id = '';
    const upMs = await timed(async () => {
      id = await subject.putBig();
    });
    let read = 0;
    const downMs = await timed(async () => {
      read = await subject.getBig(id);
    });
    if (read !== BIG) throw new Error(`${subject.name} read ${read} of ${BIG} bytes`);
    // Fresh bytes each round, so the content-addressed stores write rather than dedupe.
    const batch = smalls.map((bytes) => Buffer.concat([bytes.subarray(0, 4092), Buffer.from(new Uint32Array([round]).buffer)]));
    const smallMs = await timed(() => inParallel(batch, (bytes) => subject.putSmall(bytes)));
    const name = subject.name;
    keep({ case: `upload ${BIG / MiB} MiB`, subject: name, value: BIG / MiB / (upMs / 1000), unit: 'MB/s' });
    keep({
      case: `download ${BIG / MiB} MiB`,
      subject: name,
      value: BIG / MiB / (downMs / 1000),
      unit: 'MB/s',
    });
    keep({
      case: `${SMALL_COUNT} x 4 KiB up, ${CONCURRENCY} at once`,
      subject: name,
      value: SMALL_COUNT / (smallMs / 1000),
      unit: 'files/s',
    });
  }
  big[0] = (big[0] ?? 0) ^ 0xff; // a new big file too
}
const rows = [...best.values()].sort((a, b) => a.case.localeCompare(b.case));
printTable('data-bank storage backends (same run, same machine)', rows, sdkSubject.name);
client.destroy();
await server.close();
await rm(work, { recursive: true, force: true });
