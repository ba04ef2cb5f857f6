import type { Segment } from '../../models/transcript.js';
import { MissingToolError, runProcess } from './process.js';
import { ProviderError, type ChunkRequest, type ChunkTranscript, type SttProvider } from './provider.js';

const WORD_LINE = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) [\d.]+$/;
const MAX_WORDS = 14;

/** Groups pocketsphinx's timed words (`-time yes`) into segments that break at pauses. */
export function parsePocketsphinx(output: string): Segment[] {
  const segments: Segment[] = [];
  let current: Segment | undefined;
  for (const line of output.split('\n')) {
    const match = WORD_LINE.exec(line.trim());
    if (!match) continue;
    const [, token = '', start = '0', end = '0'] = match;
    if (token === '<sil>' || token === '</s>' || token.startsWith('[') || token.startsWith('++')) {
      current = undefined;
      continue;
    }
    if (token === '<s>') continue;
    const word = token.replace(/\(\d+\)$/, '');
    if (current && current.text.split(' ').length < MAX_WORDS) {
      current.text += ` ${word}`;
      current.end = Number(end);
    } else {
      current = { start: Number(start), end: Number(end), text: word };
      segments.push(current);
    }
  }
  return segments;
}

/** Offline recognition with Debian's pocketsphinx (US English model); no network needed. */
export class LocalProvider implements SttProvider {
  readonly name = 'local';
  // pocketsphinx reads only WAV (or raw PCM).
  readonly chunkFormat = 'wav';

  constructor(private readonly command: string) {}

  async transcribe(chunk: ChunkRequest, signal: AbortSignal): Promise<ChunkTranscript> {
    try {
      const args = ['-infile', chunk.path, '-time', 'yes', '-logfn', '/dev/null'];
      const result = await runProcess(this.command, args, { signal, scratch: chunk.scratch });
      if (result.code !== 0) throw new ProviderError(`pocketsphinx exited with ${result.code}`, false);
      return { language: 'en', segments: parsePocketsphinx(result.stdout) };
    } catch (error) {
      if (error instanceof MissingToolError)
        throw new ProviderError(`${error.message}: install pocketsphinx and pocketsphinx-en-us`, false);
      throw error;
    }
  }
}
