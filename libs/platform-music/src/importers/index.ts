import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ExportFormatError } from '../errors.js';
import type { PlayRecord } from '../model.js';
import { appleCsvPlays } from './apple.js';
import type { Origin } from './fields.js';
import { jsonArrayObjects } from './json-array.js';
import { decodeSpotifyEntry } from './spotify.js';
import { decodeTakeoutEntry } from './youtube.js';
import { DEFAULT_ZIP_LIMITS, openArchive, type ZipLimits } from './zip.js';

export type ExportFormat = 'spotify' | 'youtube_music' | 'apple_music';

/** Which files inside an export's zip hold the plays. */
const ZIP_ENTRIES: [ExportFormat, RegExp][] = [
  ['spotify', /(^|\/)(Streaming_History_Audio_[^/]*|endsong_\d+|StreamingHistory(_music_)?\d+)\.json$/i],
  ['youtube_music', /(^|\/)watch-history\.json$/i],
  ['apple_music', /(^|\/)[^/]*Play Activity\.csv$/i],
];

const isExportEntry = (name: string) => ZIP_ENTRIES.some(([, pattern]) => pattern.test(name));

const READ_OPTIONS = { highWaterMark: 1 << 20 };

async function head(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Tells a plain (unzipped) export's format from its first bytes. */
export function sniffFormat(start: Buffer): ExportFormat | 'zip' | undefined {
  if (start.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return 'zip';
  const text = start
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (text.startsWith('[')) {
    if (/"(ms_played|msPlayed)"/.test(text)) return 'spotify';
    if (/"(titleUrl|header|products)"/.test(text)) return 'youtube_music';
    if (/^\[\s*\]?\s*$/.test(text)) return undefined;
  }
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  if (/(^|,)"?(Song Name|Content Name)"?(,|$)/.test(firstLine)) return 'apple_music';
  return undefined;
}

async function* jsonPlays(
  chunks: AsyncIterable<Uint8Array>,
  file: string,
  decode: (entry: Record<string, unknown>, origin: Origin) => PlayRecord | undefined,
): AsyncGenerator<PlayRecord> {
  for await (const { value, entry, line } of jsonArrayObjects(chunks, file)) {
    const play = decode(value, { file, entry, line });
    if (play) yield play;
  }
}

function playsOf(format: ExportFormat, chunks: AsyncIterable<Uint8Array>, file: string): AsyncGenerator<PlayRecord> {
  if (format === 'apple_music') return appleCsvPlays(chunks, file);
  return jsonPlays(chunks, file, format === 'spotify' ? decodeSpotifyEntry : decodeTakeoutEntry);
}

export interface OpenedExport {
  format: ExportFormat;
  zipped: boolean;
  /** The files read, in order (the export itself, or the matching entries of its zip). */
  files: string[];
}

/** Finds an export's format (a Spotify/Takeout/Apple file, or a zip holding them) without reading it all. */
export async function inspectExport(path: string, name = 'export', limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<OpenedExport> {
  const kind = sniffFormat(await head(path, 64 * 1024));
  if (kind === undefined) {
    throw new ExportFormatError(
      'unrecognised export: expected Spotify streaming history JSON, a YouTube Takeout watch-history.json, an Apple Music Play Activity CSV, or a zip of one',
      { file: name },
    );
  }
  if (kind !== 'zip') return { format: kind, zipped: false, files: [name] };
  const archive = await openArchive(path, isExportEntry, limits);
  archive.close();
  for (const [format, pattern] of ZIP_ENTRIES) {
    const files = archive.names.filter((entry) => pattern.test(entry)).sort();
    if (files.length > 0) return { format, zipped: true, files };
  }
  throw new ExportFormatError('the zip holds no Spotify streaming history, watch-history.json or Play Activity CSV', { file: name });
}

/** Streams an export's plays in bounded memory (one entry at a time), whatever its format. */
export async function* readExport(path: string, name = 'export', limits: ZipLimits = DEFAULT_ZIP_LIMITS): AsyncGenerator<PlayRecord> {
  const { format, zipped, files } = await inspectExport(path, name, limits);
  if (!zipped) {
    yield* playsOf(format, createReadStream(path, READ_OPTIONS), name);
    return;
  }
  const archive = await openArchive(path, isExportEntry, limits);
  try {
    for (const file of files) yield* playsOf(format, await archive.open(file), file);
  } finally {
    archive.close();
  }
}
