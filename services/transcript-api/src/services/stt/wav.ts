import { open } from 'node:fs/promises';
import { WAV_BYTES_PER_S } from './plan.js';

/** ffmpeg's WAV header (RIFF, fmt, LIST) fits in this many bytes. */
const HEADER_SEARCH_BYTES = 4096;

/**
 * Seconds of audio in the mono 16 kHz 16-bit WAV that the decode wrote: the bytes after the `data`
 * chunk's header, whatever any header claims, so a container that lies about its length cannot.
 */
export async function wavDurationS(path: string): Promise<number> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(Math.min(size, HEADER_SEARCH_BYTES));
    await file.read(head, 0, head.length, 0);
    let offset = 12; // "RIFF" <size> "WAVE"
    while (offset + 8 <= head.length) {
      const id = head.toString('ascii', offset, offset + 4);
      const length = head.readUInt32LE(offset + 4);
      if (id === 'data') return Math.max(0, size - offset - 8) / WAV_BYTES_PER_S;
      offset += 8 + length + (length % 2);
    }
    throw new Error('the decoded WAV has no data chunk');
  } finally {
    await file.close();
  }
}
