import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { CorpusCounts, CorpusRequest } from '../models/corpus.js';
import type { Detector } from '../services/detector.js';
import { dominantScript } from '../services/scripts.js';
import { transliterate, type Conversion } from '../transliteration/catalog.js';
import { SentenceSplitter } from './sentences.js';
import type { DocumentStream } from './sources.js';

export interface PipelineOptions {
  request: CorpusRequest;
  documents: DocumentStream;
  detector: Detector;
  conversion: Conversion | undefined;
  /** Where the kept sentences go, one per line. */
  outputPath: string;
  signal: AbortSignal;
  /** Called about once a second and at the end; may throw to stop the job. */
  onProgress: (counts: CorpusCounts) => Promise<void>;
  progressIntervalMs?: number;
}

export interface PipelineResult {
  counts: CorpusCounts;
  bytes: number;
}

/**
 * source → sentences → script filter → language filter → dedupe → transform → file, in bounded memory:
 * one document at a time plus the set of kept sentences' 64-bit hashes when deduplicating.
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const { request, detector, conversion } = options;
  const splitter = new SentenceSplitter(request.language);
  const seenHashes = new Set<string>();
  const counts: CorpusCounts = {
    seen: 0,
    kept: 0,
    rejected: { language: 0, script: 0, confidence: 0, duplicate: 0, empty: 0 },
  };
  const out = createWriteStream(options.outputPath, { encoding: 'utf8' });
  const interval = options.progressIntervalMs ?? 1000;
  let lastReport = Date.now();
  let bytes = 0;

  try {
    documents: for await (const document of options.documents) {
      for (const sentence of splitter.split(document)) {
        options.signal.throwIfAborted();
        counts.seen += 1;
        if (request.script !== undefined && dominantScript(sentence) !== request.script) {
          counts.rejected.script += 1;
          continue;
        }
        const [best] = await detector.candidates(sentence, 1);
        if (best?.language !== request.language) {
          counts.rejected.language += 1;
          continue;
        }
        if (best.confidence < request.min_confidence) {
          counts.rejected.confidence += 1;
          continue;
        }
        if (request.dedupe) {
          const hash = createHash('sha256').update(sentence).digest('base64url').slice(0, 11);
          if (seenHashes.has(hash)) {
            counts.rejected.duplicate += 1;
            continue;
          }
          seenHashes.add(hash);
        }
        const line = `${conversion ? transliterate(conversion, sentence) : sentence}\n`;
        bytes += Buffer.byteLength(line);
        if (!out.write(line)) await once(out, 'drain');
        counts.kept += 1;
        if (counts.kept >= request.max_sentences) break documents;
        if (Date.now() - lastReport >= interval) {
          lastReport = Date.now();
          await options.onProgress(counts);
        }
      }
    }
    await options.documents.return(undefined);
  } finally {
    out.end();
    await once(out, 'close');
  }
  await options.onProgress(counts);
  return { counts, bytes };
}
