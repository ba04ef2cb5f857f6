/**
 * Importing and analysing 1,000,000 plays (a Spotify extended streaming history export, one JSON file)
 * with @platform/music against the same analysis in pandas (Debian python3-pandas), each in its own
 * process so peak memory (max RSS) is the process's own. Rates are per wall-clock and per CPU second.
 *
 *   npm run bench -- music [plays]       (about 2 minutes for 1,000,000 plays)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable, type BenchRow } from '../lib/report.js';

const PLAYS = Number(process.argv[2] ?? 1_000_000);
const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/** A realistic export: 6,000 artists with a long tail, 60,000 tracks, two years of plays, some podcasts and skips. */
async function writeExport(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('[\n');
  const start = Date.parse('2022-07-01T00:00:00Z');
  const span = Date.parse('2024-01-01T00:00:00Z') - start;
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < PLAYS; i++) {
    const artist = Math.floor(6000 * random() ** 3);
    const track = artist * 10 + Math.floor(random() * 10);
    const podcast = random() < 0.02;
    const entry = {
      ts: new Date(start + Math.floor((i / PLAYS) * span)).toISOString().replace('.000Z', 'Z'),
      platform: 'android',
      ms_played: random() < 0.15 ? Math.floor(random() * 29_000) : 60_000 + Math.floor(random() * 200_000),
      conn_country: 'DE',
      ip_addr: '192.0.2.1',
      master_metadata_track_name: podcast ? null : `Track ${track}`,
      master_metadata_album_artist_name: podcast ? null : `Artist ${artist}`,
      master_metadata_album_album_name: podcast ? null : `Album ${Math.floor(track / 4)}`,
      spotify_track_uri: podcast ? null : `spotify:track:${track.toString(36).padStart(22, '0')}`,
      episode_name: podcast ? 'Episode' : null,
      episode_show_name: podcast ? 'Show' : null,
      spotify_episode_uri: podcast ? 'spotify:episode:0' : null,
      reason_start: 'trackdone',
      reason_end: 'trackdone',
      shuffle: false,
      skipped: false,
      offline: false,
      offline_timestamp: null,
      incognito_mode: false,
    };
    if (!out.write(`${i === 0 ? '' : ',\n'}${JSON.stringify(entry)}`)) await once(out, 'drain');
  }
  out.end('\n]\n');
  await once(out, 'close');
}

interface Outcome {
  rows: number;
  plays: number;
  top: string;
  wallMs: number;
  cpuMs: number;
  peakMb: number;
}

function run(command: string, args: string[]): Outcome {
  const child = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`${command} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Outcome;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-music-'));
try {
  const path = join(dir, 'Streaming_History_Audio_2022-2023.json');
  await writeExport(path);
  const mb = (await stat(path)).size / 1024 ** 2;
  process.stdout.write(`export: ${PLAYS.toLocaleString('en-US')} plays, ${mb.toFixed(0)} MB\n`);
  const args = [path, '2023', 'Europe/Berlin'];
  const node = run(process.execPath, ['--conditions=source', '--import', 'tsx', here('analyse.ts'), ...args]);
  const pandas = run(PYTHON, [here('analyse.py'), ...args]);
  if (node.plays !== pandas.plays || node.top !== pandas.top) {
    throw new Error(`results differ: node ${node.plays} plays, top ${node.top}; pandas ${pandas.plays}, top ${pandas.top}`);
  }
  const rows: BenchRow[] = [];
  for (const [subject, outcome] of [
    ['@platform/music', node],
    ['pandas', pandas],
  ] as const) {
    const extra = { 'plays/cpu-s': (outcome.rows / outcome.cpuMs) * 1000, 'peak MB': outcome.peakMb, s: outcome.wallMs / 1000 };
    rows.push({
      case: `import + analyse ${PLAYS.toLocaleString('en-US')} plays`,
      subject,
      value: (outcome.rows / outcome.wallMs) * 1000,
      unit: 'plays/s',
      extra,
    });
  }
  printTable(`music: same report (${node.plays.toLocaleString('en-US')} plays in 2023, top artist ${node.top}) from both`, rows, 'pandas');
} finally {
  await rm(dir, { recursive: true, force: true });
}
