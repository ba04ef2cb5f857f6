import { decodeHTML } from 'entities';
import type { Segment } from '../../models/transcript.js';

/** Markup tags and WebVTT inline timestamps (`<00:00:01.200>`). */
const TAG = /<\/?[a-zA-Z][^<>]*>|<\d{1,2}:\d{2}[\d:.]*>/g;

/** Caption text without markup: tags removed (also those written as entities), entities decoded, whitespace collapsed. */
export function cleanText(raw: string): string {
  const strip = (text: string) => text.replace(/<br\s*\/?>/gi, ' ').replace(TAG, '');
  return strip(decodeHTML(strip(raw)))
    .replace(/\s+/g, ' ')
    .trim();
}

const normalise = (word: string) => word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, '');

/** How many leading words of `next` repeat the trailing words of `previous`. */
export function overlapLength(previous: string[], next: string[]): number {
  const a = previous.map(normalise);
  const b = next.map(normalise);
  for (let k = Math.min(a.length, b.length); k > 0; k--) {
    let same = true;
    for (let i = 0; i < k && same; i++) same = a[a.length - k + i] === b[i];
    if (same) return k;
  }
  return 0;
}

/** Rolling captions repeat the previous line; a single repeated word is kept, since speech repeats words too. */
const MIN_OVERLAP = 2;
const WINDOW = 40;

/**
 * Merges rolling duplicates: words at the start of a segment that repeat the end of the text so far are
 * dropped, and a segment that only repeats extends the previous one's end.
 */
export function mergeRollingDuplicates(segments: Segment[]): Segment[] {
  const merged: Segment[] = [];
  let recent: string[] = [];
  for (const segment of segments) {
    const words = segment.text.split(' ').filter(Boolean);
    const overlap = overlapLength(recent, words);
    const previous = merged.at(-1);
    if (previous && overlap === words.length && overlap > 0) {
      previous.end = Math.max(previous.end, segment.end);
      continue;
    }
    const kept = overlap >= MIN_OVERLAP ? words.slice(overlap) : words;
    merged.push({ ...segment, text: kept.join(' ') });
    recent = [...recent, ...kept].slice(-WINDOW);
  }
  return merged;
}

/** Drops empty cues and ends each cue no later than the next one starts (auto captions overlap). */
export function tidySegments(segments: Segment[]): Segment[] {
  const kept = segments.filter((segment) => segment.text !== '').sort((a, b) => a.start - b.start);
  return kept.map((segment, i) => {
    const next = kept[i + 1];
    const end = next && next.start > segment.start ? Math.min(segment.end, next.start) : segment.end;
    return { ...segment, end: Math.max(segment.start, end) };
  });
}
