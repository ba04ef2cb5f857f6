import type { Segment } from '../../models/transcript.js';
import { overlapLength } from '../captions/clean.js';
import type { ChunkFile } from './media.js';
import type { ChunkTranscript } from './provider.js';

/** Words a provider repeats on both sides of a cut; one repeated word is kept (speech repeats words too). */
const MIN_BOUNDARY_OVERLAP = 2;

/**
 * Joins chunk transcripts in order: times shifted by the chunk's start and kept inside the chunk, and
 * words that the next chunk repeats from the end of the previous one dropped.
 */
export function stitch(chunks: ChunkFile[], transcripts: ChunkTranscript[]): Segment[] {
  const result: Segment[] = [];
  chunks.forEach((chunk, index) => {
    const shifted = (transcripts[index]?.segments ?? [])
      .map((segment) => ({
        start: Math.min(chunk.end, chunk.start + Math.max(0, segment.start)),
        end: Math.min(chunk.end, chunk.start + Math.max(segment.start, segment.end)),
        text: segment.text.replace(/\s+/g, ' ').trim(),
      }))
      .filter((segment) => segment.text !== '');
    const previous = result.at(-1);
    const first = shifted[0];
    if (previous && first) {
      const words = first.text.split(' ');
      const overlap = overlapLength(previous.text.split(' '), words);
      if (overlap >= MIN_BOUNDARY_OVERLAP) {
        first.text = words.slice(overlap).join(' ');
        if (first.text === '') shifted.shift();
      }
    }
    result.push(...shifted);
  });
  return result;
}
