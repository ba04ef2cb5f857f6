import type { Silence } from './media.js';

/**
 * Bytes per second of the mono 16 kHz 16-bit WAV that chunks are cut from; FLAC chunks of the same
 * samples are smaller for any real audio, so it bounds them too.
 */
export const WAV_BYTES_PER_S = 32_000;
const WAV_HEADER_BYTES = 78;

/** The longest chunk allowed by both the duration limit and the byte limit of the provider. */
export function maxChunkSeconds(maxDurationS: number, maxBytes: number): number {
  return Math.max(1, Math.min(maxDurationS, (maxBytes - WAV_HEADER_BYTES) / WAV_BYTES_PER_S));
}

/**
 * Cut times so that every chunk is at most `maxChunkS` long: each cut goes in the middle of the latest
 * silence in the second half of the window, or, in a stretch without silence, at the window's end.
 */
export function planCuts(durationS: number, silences: Silence[], maxChunkS: number): number[] {
  const cuts: number[] = [];
  const middles = silences.map((silence) => (silence.start + silence.end) / 2);
  let position = 0;
  while (durationS - position > maxChunkS) {
    const limit = position + maxChunkS;
    const earliest = position + maxChunkS / 2;
    const quiet = middles.filter((middle) => middle > earliest && middle <= limit).at(-1);
    position = quiet ?? limit;
    cuts.push(position);
  }
  return cuts;
}
