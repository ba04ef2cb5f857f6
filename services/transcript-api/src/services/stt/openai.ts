import { openAsBlob } from 'node:fs';
import { z } from 'zod';
import { parseJsonOrUndefined } from '../json.js';
import { ProviderError, type ChunkRequest, type ChunkTranscript, type SttProvider } from './provider.js';

const VerboseJson = z.object({
  language: z.string().optional(),
  text: z.string().default(''),
  segments: z.array(z.object({ start: z.number(), end: z.number(), text: z.string() })).optional(),
});

export interface OpenAiOptions {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
}

const RETRYABLE = (status: number) => status === 408 || status === 409 || status === 429 || status >= 500;

/** Any OpenAI-compatible `POST {base}/audio/transcriptions` answering verbose_json with segments. */
export class OpenAiProvider implements SttProvider {
  readonly name = 'openai';
  // Lossless and about half the bytes of WAV for speech, so less to send per chunk.
  readonly chunkFormat = 'flac';
  private readonly endpoint: string;

  constructor(private readonly options: OpenAiOptions) {
    this.endpoint = `${options.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`;
  }

  async transcribe(chunk: ChunkRequest, signal: AbortSignal): Promise<ChunkTranscript> {
    const form = new FormData();
    // A file-backed Blob: fetch streams the chunk from disk instead of holding copies of it in memory.
    form.set('file', await openAsBlob(chunk.path, { type: 'audio/flac' }), 'audio.flac');
    form.set('model', this.options.model);
    form.set('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    if (chunk.language !== undefined) form.set('language', chunk.language);
    if (chunk.prompt !== undefined) form.set('prompt', chunk.prompt);
    const headers: Record<string, string> = this.options.apiKey === '' ? {} : { authorization: `Bearer ${this.options.apiKey}` };
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        body: form,
        headers,
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // The endpoint's URL and the network error stay in the cause (logs), out of the job's message.
      const reason = timeout.aborted ? `no answer within ${this.options.timeoutMs} ms` : 'the endpoint could not be reached';
      throw new ProviderError(`speech-to-text request failed: ${reason}`, true, undefined, { cause: error });
    }
    const body = await response.text();
    if (!response.ok) {
      const retryAfter = Number(response.headers.get('retry-after'));
      // The body is the provider's (it may echo the request or name the account): never in the message.
      throw new ProviderError(
        `speech-to-text endpoint answered ${response.status}`,
        RETRYABLE(response.status),
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
      );
    }
    const parsed = VerboseJson.safeParse(parseJsonOrUndefined(body));
    if (!parsed.success) throw new ProviderError('speech-to-text endpoint answered an unexpected document', false);
    const { segments, text, language } = parsed.data;
    // A model without segment timestamps still gives the text: one segment for the whole chunk.
    const timed = segments ?? (text.trim() === '' ? [] : [{ start: 0, end: chunk.durationS, text }]);
    return { language, segments: timed.map((s) => ({ start: s.start, end: s.end, text: s.text.trim() })) };
  }
}
