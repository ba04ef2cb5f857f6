/**
 * data-bank-api against the machine's limits, measured in the same run:
 * - uploads of one 256 MiB file (raw body and multipart) and of 2,000 files of 4 KiB over loopback HTTP,
 *   against `sha256sum` + `cp` + `sync` of the same bytes on the same disk;
 * - downloads of the same files, against nginx (Debian) serving them as static files (`curl` for the big
 *   file, the same Node client for the small ones), plus a plain disk read of the big file.
 * The nginx rows are skipped with a message when nginx is not installed.
 *
 *   npm run bench -- data-bank [--big-mib 256] [--small 2000] [--rounds 3]
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { startDataBankProcess } from 'data-bank-api/testing';
import { freePort } from '../lib/ports.js';
import { printTable, summarise, type BenchRow } from '../lib/report.js';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    'big-mib': { type: 'string', default: '256' },
    small: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '16' },
  },
});
const BIG_MIB = Number(values['big-mib']);
const SMALL_COUNT = Number(values.small);
const ROUNDS = Number(values.rounds);
const CONCURRENCY = Number(values.concurrency);
const KEY = 'bench-key';

const repo = resolve(import.meta.dirname, '../..');
const work = join(repo, '.bench', 'data-bank');
const www = join(work, 'www');
const bigPath = join(www, 'big.bin');
const smallDir = join(www, 'small');

async function waitUntilUp(url: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (
      await fetch(url).then(
        (r) => r.status < 500,
        () => false,
      )
    )
      return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url} did not come up`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/** Seconds taken by `work`, best of ROUNDS (after `before` each round, untimed). */
async function best(work: () => Promise<unknown>, before?: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    await before?.();
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, (performance.now() - started) / 1000);
  }
  return fastest;
}

const sh = (command: string) => run('sh', ['-c', command], { maxBuffer: 64 * 1024 * 1024 });

/** Runs `task` over `items` with at most CONCURRENCY in flight; returns per-item latencies (ms) and wall time. */
async function pool<T>(items: T[], task: (item: T) => Promise<void>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const t0 = performance.now();
        await task(item);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

async function startNginx(): Promise<{ url: string; child: ChildProcess } | undefined> {
  const binary = await run('sh', ['-c', 'command -v nginx || ls /usr/sbin/nginx']).then(
    (result) => result.stdout.trim().split('\n')[0],
    () => undefined,
  );
  if (!binary) return undefined;
  const port = await freePort();
  const prefix = join(work, 'nginx');
  await mkdir(join(prefix, 'tmp'), { recursive: true });
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${prefix}/tmp/${kind};`);
  const config = `
worker_processes 1;
daemon off;
pid ${prefix}/nginx.pid;
error_log stderr warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type application/octet-stream;
  ${temp.join('\n  ')}
  server { listen 127.0.0.1:${port}; root ${www}; }
}`;
  await writeFile(join(prefix, 'nginx.conf'), config);
  const child = spawn(binary, ['-p', prefix, '-c', join(prefix, 'nginx.conf'), '-e', 'stderr'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${url}/big.bin`);
  return { url, child };
}

async function main(): Promise<void> {
  await rm(work, { recursive: true, force: true });
  await mkdir(smallDir, { recursive: true });
  const bigBytes = BIG_MIB * 1024 * 1024;
  await sh(`head -c ${bigBytes} /dev/urandom > ${bigPath}`);
  const bigId = (await sh(`sha256sum ${bigPath}`)).stdout.slice(0, 64);
  const small = Array.from({ length: SMALL_COUNT }, (_, i) => ({ name: String(i), data: randomBytes(4096) }));
  for (const file of small) await writeFile(join(smallDir, file.name), file.data);
  const smallIds = small.map((file) => createHash('sha256').update(file.data).digest('hex'));

  const dataBank = await startDataBankProcess({ apiKey: KEY, env: { DATA_BANK_ROOT: join(work, 'store') } });
  const nginx = await startNginx();
  const auth = `-H 'x-api-key: ${KEY}'`;
  const deleteBig = () => sh(`curl -s -o /dev/null -X DELETE ${auth} ${dataBank.url}/v1/files/${bigId}`);
  const MB = (seconds: number) => bigBytes / 1e6 / seconds;
  const uploads: BenchRow[] = [];
  const downloads: BenchRow[] = [];
  const uploadPeer = 'sha256sum + cp + sync';
  try {
    // Large upload.
    const copy = join(work, 'copy.bin');
    const peer = await best(
      () => sh(`sha256sum ${bigPath} > /dev/null && cp ${bigPath} ${copy} && sync ${copy}`),
      () => rm(copy, { force: true }),
    );
    uploads.push({ case: `upload ${BIG_MIB} MiB`, subject: uploadPeer, value: MB(peer), unit: 'MB/s' });
    const upload = await best(
      () => sh(`curl -sf -o /dev/null -X POST -T ${bigPath} -H 'content-type: application/octet-stream' ${auth} ${dataBank.url}/v1/files`),
      deleteBig,
    );
    uploads.push({
      case: `upload ${BIG_MIB} MiB`,
      subject: 'data-bank-api (curl -T)',
      value: MB(upload),
      unit: 'MB/s',
    });
    const multipartUpload = await best(() => sh(`curl -sf -o /dev/null -F file=@${bigPath} ${auth} ${dataBank.url}/v1/files`), deleteBig);
    uploads.push({
      case: `upload ${BIG_MIB} MiB`,
      subject: 'data-bank-api (curl -F, multipart)',
      value: MB(multipartUpload),
      unit: 'MB/s',
    });

    // Small uploads.
    const smallCopy = join(work, 'small-copy');
    const smallPeer = await best(
      () => sh(`cd ${smallDir} && sha256sum * > /dev/null && cp -r ${smallDir} ${smallCopy} && sync -f ${smallCopy}`),
      () => rm(smallCopy, { recursive: true, force: true }),
    );
    const smallCase = `upload ${SMALL_COUNT} x 4 KiB`;
    uploads.push({ case: smallCase, subject: uploadPeer, value: SMALL_COUNT / smallPeer, unit: 'files/s' });
    const smallUploads = async (body: (data: Buffer) => Buffer | FormData) => {
      let fastest = summarise([], 1);
      for (let round = 0; round < ROUNDS; round++) {
        await pool(smallIds, async (id) => {
          await fetch(`${dataBank.url}/v1/files/${id}`, { method: 'DELETE', headers: { 'x-api-key': KEY } });
        });
        const { latencies, wallMs } = await pool(small, async (file) => {
          const response = await fetch(`${dataBank.url}/v1/files`, {
            method: 'POST',
            body: body(file.data),
            headers: { 'x-api-key': KEY },
          });
          if (response.status !== 201) throw new Error(`upload answered ${response.status}`);
          await response.arrayBuffer();
        });
        const summary = summarise(latencies, wallMs);
        if (summary.perSecond > fastest.perSecond) fastest = summary;
      }
      return fastest;
    };
    const multipartBody = (data: Buffer) => {
      const form = new FormData();
      form.append('file', new Blob([data]), 'small.bin');
      return form;
    };
    for (const [kind, body] of [
      ['raw body', (data: Buffer) => data],
      ['multipart', multipartBody],
    ] as const) {
      const summary = await smallUploads(body);
      uploads.push({
        case: smallCase,
        subject: `data-bank-api (fetch, ${kind}, ${CONCURRENCY} in flight)`,
        value: summary.perSecond,
        unit: 'files/s',
        extra: { p50_ms: summary.p50, p99_ms: summary.p99 },
      });
    }

    // Large download.
    const bigCase = `download ${BIG_MIB} MiB`;
    const curlGet =
      (url: string, headers = '') =>
      () =>
        sh(`curl -sf -o /dev/null ${headers} ${url}`);
    if (nginx)
      downloads.push({
        case: bigCase,
        subject: 'nginx',
        value: MB(await best(curlGet(`${nginx.url}/big.bin`))),
        unit: 'MB/s',
      });
    downloads.push({
      case: bigCase,
      subject: 'disk read (cat)',
      value: MB(await best(() => sh(`cat ${bigPath} > /dev/null`))),
      unit: 'MB/s',
    });
    const download = await best(curlGet(`${dataBank.url}/v1/files/${bigId}`, auth));
    downloads.push({ case: bigCase, subject: 'data-bank-api', value: MB(download), unit: 'MB/s' });

    // Small downloads, same client for both servers.
    const smallGet = async (urlOf: (index: number) => string, headers: Record<string, string>) => {
      let fastest = summarise([], 1);
      for (let round = 0; round < ROUNDS; round++) {
        const { latencies, wallMs } = await pool(
          smallIds.map((_, index) => index),
          async (index) => {
            const response = await fetch(urlOf(index), { headers });
            if (response.status !== 200) throw new Error(`download answered ${response.status}`);
            await response.arrayBuffer();
          },
        );
        const summary = summarise(latencies, wallMs);
        if (summary.perSecond > fastest.perSecond) fastest = summary;
      }
      return fastest;
    };
    const smallDownloadCase = `download ${SMALL_COUNT} x 4 KiB`;
    for (const [subject, summary] of [
      ...(nginx ? [['nginx', await smallGet((i) => `${nginx.url}/small/${i}`, {})] as const] : []),
      ['data-bank-api', await smallGet((i) => `${dataBank.url}/v1/files/${smallIds[i] ?? ''}`, { 'x-api-key': KEY })] as const,
    ]) {
      downloads.push({
        case: smallDownloadCase,
        subject,
        value: summary.perSecond,
        unit: 'files/s',
        extra: { p50_ms: summary.p50, p99_ms: summary.p99 },
      });
    }
  } finally {
    await dataBank.stop();
    if (nginx) await stop(nginx.child);
    await rm(work, { recursive: true, force: true });
  }

  process.stdout.write(`data-bank benchmark: best of ${ROUNDS} rounds, loopback HTTP, ${CONCURRENCY} small requests in flight\n\n`);
  printTable('Uploads', uploads, uploadPeer);
  process.stdout.write('\n');
  if (nginx) printTable('Downloads', downloads, 'nginx');
  else {
    process.stdout.write('nginx not found (Debian package "nginx"): nginx rows skipped, ratios against the disk read\n');
    printTable('Downloads', downloads, 'disk read (cat)');
  }
}

await main();
