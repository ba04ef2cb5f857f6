/**
 * qr-api benchmark: PNG encoding alone against Python's segno and qrcode (Debian python3-segno,
 * python3-qrcode + python3-pil) on the same payload, then requests per second and p99 over HTTP on
 * loopback with autocannon against the real service process (one Node.js process: one core).
 *
 *   npm run bench -- qr            (about 40 s)
 */
import autocannon from 'autocannon';
import { startServiceProcess } from '@platform/testing';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { printTable, summarise, type BenchRow } from '../lib/report.js';

const URL_26 = 'https://example.com/abcdef'; // a typical 26-character link
const SCALE = 10;
const MARGIN = 4;
const ENCODE_MS = 3000;
const HTTP_S = 5;
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3'; // Debian's, where python3-segno lives

/**
 * Rates are given per CPU-second as well as per wall-clock second: the machine is shared, and CPU time
 * is what a busy neighbour does not distort.
 */
interface Measured extends ReturnType<typeof summarise> {
  perCpuSecond: number;
}

const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

async function loop(run: () => unknown, ms: number): Promise<Measured> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const latencies: number[] = [];
  const [start, cpuStart] = [performance.now(), cpuMs()];
  while (performance.now() - start < ms) {
    const t = performance.now();
    await run();
    latencies.push(performance.now() - t);
  }
  const summary = summarise(latencies, performance.now() - start);
  return { ...summary, perCpuSecond: (summary.count / (cpuMs() - cpuStart)) * 1000 };
}

const PYTHON_LOOP = `
import io, json, sys, time
kind, url, scale, border, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
if kind == 'segno':
    import segno
    def run():
        buf = io.BytesIO()
        segno.make(url, error='m', micro=False, boost_error=False).save(buf, kind='png', scale=scale, border=border)
        return buf
else:
    import qrcode
    def run():
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=scale, border=border)
        code.add_data(url)
        code.make(fit=True)
        buf = io.BytesIO()
        code.make_image().save(buf)
        return buf
for _ in range(20): run()
lat = []
start, cpu_start = time.perf_counter(), time.process_time()
while time.perf_counter() - start < seconds:
    t = time.perf_counter(); run(); lat.append((time.perf_counter() - t) * 1000)
wall = (time.perf_counter() - start) * 1000
print(json.dumps({'latencies': lat, 'wall': wall, 'cpu': (time.process_time() - cpu_start) * 1000}))
`;

function pythonLoop(kind: 'segno' | 'qrcode'): Measured | undefined {
  const result = spawnSync(PYTHON, ['-c', PYTHON_LOOP, kind, URL_26, String(SCALE), String(MARGIN), String(ENCODE_MS / 1000)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(`${kind} skipped (${PYTHON}): ${result.stderr.trim().split('\n').pop() ?? ''}\n`);
    return undefined;
  }
  const { latencies, wall, cpu } = JSON.parse(result.stdout) as { latencies: number[]; wall: number; cpu: number };
  return { ...summarise(latencies, wall), perCpuSecond: (latencies.length / cpu) * 1000 };
}

/** User + system CPU milliseconds of a process so far (Linux /proc, clock ticks of 10 ms). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function load(url: string, options: { method?: 'POST'; body?: string; seconds: number }) {
  const result = await autocannon({
    url,
    connections: 10,
    duration: options.seconds,
    ...(options.method ? { method: options.method, body: options.body, headers: { 'content-type': 'application/json' } } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

const rows: BenchRow[] = [];
const encodeCase = `encode PNG (26-char URL, M, scale ${SCALE}, margin ${MARGIN})`;
const encodeRow = (subject: string, s: Measured) =>
  rows.push({
    case: encodeCase,
    subject,
    value: s.perCpuSecond,
    unit: 'PNG/CPU-s',
    extra: { 'wall /s': s.perSecond, 'p50 ms': s.p50, 'p99 ms': s.p99 },
  });

// The service's own encoder, loaded from its sources at run time: bench/ is its own TypeScript project
// and does not reference services/ (see the README of services/qr-api).
interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}
const source = (file: string) => new URL(`../../services/qr-api/src/services/${file}`, import.meta.url).href;
const { makeMatrix } = (await import(source('matrix.ts'))) as { makeMatrix: (text: string, ecc: 'M') => unknown };
const { encodePng } = (await import(source('png.ts'))) as {
  encodePng: (matrix: unknown, options: { scale: number; margin: number; dark: Rgba; light: Rgba }) => Buffer;
};

const dark = { r: 0, g: 0, b: 0, a: 255 };
const light = { r: 255, g: 255, b: 255, a: 255 };
encodeRow(
  'qr-api (qrcode matrix + 1-bit PNG)',
  await loop(() => encodePng(makeMatrix(URL_26, 'M'), { scale: SCALE, margin: MARGIN, dark, light }), ENCODE_MS),
);
encodeRow(
  'qrcode toBuffer (npm)',
  await loop(() => QRCode.toBuffer(URL_26, { errorCorrectionLevel: 'M', scale: SCALE, margin: MARGIN }), ENCODE_MS),
);
const segno = pythonLoop('segno');
if (segno) encodeRow('segno', segno);
const pyQrcode = pythonLoop('qrcode');
if (pyQrcode) encodeRow('python3-qrcode (PIL)', pyQrcode);

const service = await startServiceProcess({
  cwd: fileURLToPath(new URL('../../services/qr-api/', import.meta.url)),
  env: { RATE_LIMIT_MAX: '0' },
  echoStderr: true,
});
try {
  const base = service.url;
  const query = `url=${encodeURIComponent(URL_26)}&scale=${SCALE}&margin=${MARGIN}`;
  const cases: [string, string, { method?: 'POST'; body?: string }][] = [
    ['HTTP GET /v1/qr PNG', `${base}/v1/qr?${query}`, {}],
    ['HTTP GET /v1/qr SVG', `${base}/v1/qr?${query}&format=svg`, {}],
    ['HTTP POST /v1/qr PNG', `${base}/v1/qr`, { method: 'POST', body: JSON.stringify({ url: URL_26, scale: SCALE, margin: MARGIN }) }],
  ];
  // Warm-up of every path first (JIT), so the first measured case is not the one that pays for it.
  for (const [, url, options] of cases) await load(url, { ...options, seconds: 1 });
  for (const [name, url, options] of cases) {
    const pid = service.child.pid ?? 0;
    const cpuStart = processCpuMs(pid);
    const result = await load(url, { ...options, seconds: HTTP_S });
    rows.push({
      case: name,
      subject: 'qr-api (1 process, 10 connections)',
      value: (result.requests.total / (processCpuMs(pid) - cpuStart)) * 1000,
      unit: 'req/CPU-s',
      extra: { 'wall /s': result.requests.average, 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99 },
    });
  }
} finally {
  await service.stop();
}

printTable('qr-api: PNG encoding vs Python segno and qrcode (same run), and HTTP throughput', rows, 'segno');
process.stdout.write(
  '\nvalue: per CPU-second of the encoding process (the server process for HTTP); wall /s: per wall-clock second.\n' +
    'Targets: encoding at least 3x segno; HTTP PNG at least 2,000 req/s on one core.\n',
);
