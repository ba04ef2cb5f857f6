import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { execFile as execFileCallback } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { spotifyEntry, tempDir } from './fixtures.js';

const execFile = promisify(execFileCallback);

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(() => cleanup());

async function writeLargeExport(path: string, targetBytes: number): Promise<number> {
  const out = createWriteStream(path);
  out.write('[\n');
  let written = 2;
  let count = 0;
  const start = Date.parse('2023-01-01T00:00:00Z');
  while (written < targetBytes) {
    const ts = new Date(start + count * 45_000).toISOString().replace('.000', '');
    const text = `${count === 0 ? '' : ',\n'}${JSON.stringify(spotifyEntry(ts, `Track ${count % 5000}`, `Artist ${count % 700}`, 30_000 + (count % 200_000)), null, 2)}`;
    if (!out.write(text)) await once(out, 'drain');
    written += Buffer.byteLength(text);
    count++;
  }
  out.end('\n]\n');
  await once(out, 'close');
  return count;
}

// 96 MB: about 30 MB of it is tsx and @platform/core's sources loaded before the first play is read.
it('imports a 200 MB export in bounded memory (a child process with a 96 MB heap)', async () => {
  const path = join(dir, 'Streaming_History_Audio_big.json');
  const entries = await writeLargeExport(path, 200 * 1024 * 1024);
  expect((await stat(path)).size).toBeGreaterThan(200 * 1024 * 1024);
  const child = execFile(
    process.execPath,
    ['--max-old-space-size=96', '--conditions=source', '--import', 'tsx', fileURLToPath(new URL('import-child.ts', import.meta.url)), path],
    { encoding: 'utf8' },
  );
  const { stdout } = await child;
  expect(JSON.parse(stdout)).toMatchObject({ count: entries, artists: 700 });
}, 240_000);
