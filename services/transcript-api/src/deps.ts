import { createDataBankClient, toolReadiness, type DataBankClient, type ReadinessCheck } from '@platform/core';
import type { Config } from './config.js';
import { YouTube } from './services/captions/youtube.js';
import { LocalProvider } from './services/stt/local.js';
import { OpenAiProvider } from './services/stt/openai.js';
import type { PipelineOptions } from './services/stt/pipeline.js';
import type { SttProvider } from './services/stt/provider.js';

export const youtubeFrom = (config: Config): YouTube => new YouTube(config.youtube);

export const storeFrom = (config: Config): DataBankClient =>
  createDataBankClient({ baseUrl: config.dataBank.url, apiKey: config.dataBank.apiKey });

/** The speech-to-text provider (worker only). */
function providerFrom(config: Config): SttProvider {
  const { stt } = config;
  if (stt.provider === 'local') return new LocalProvider(config.tools.pocketsphinx);
  return new OpenAiProvider({
    baseUrl: stt.baseUrl,
    apiKey: stt.apiKey,
    model: stt.model,
    timeoutMs: stt.timeoutMs,
  });
}

/**
 * /readyz checks for the programs the worker runs (API and worker share a machine under `npm run up` and
 * an image under Docker). yt-dlp is left out: only YouTube sources need it, and such a job says so.
 */
export function toolChecksFrom(config: Config): ReadinessCheck[] {
  const { tools } = config;
  const checks = [
    toolReadiness('ffmpeg', { command: tools.ffmpeg, args: ['-version'] }),
    toolReadiness('ffprobe', { command: tools.ffprobe, args: ['-version'], packages: ['ffmpeg'] }),
  ];
  if (config.stt.provider === 'local')
    checks.push(
      // Decoding an empty input loads the acoustic model, so a missing pocketsphinx-en-us fails too.
      toolReadiness('pocketsphinx', {
        command: tools.pocketsphinx,
        args: ['-infile', '/dev/null', '-logfn', '/dev/null'],
        packages: ['pocketsphinx', 'pocketsphinx-en-us'],
      }),
    );
  return checks;
}

/** What the worker's pipeline runs with (worker only: it builds the provider). */
export const pipelineFrom = (config: Config, provider: SttProvider = providerFrom(config)): PipelineOptions => ({
  ...config.pipeline,
  tools: { ffmpeg: config.tools.ffmpeg, ffprobe: config.tools.ffprobe },
  provider,
  retries: config.stt.retries,
  retryBaseMs: config.stt.retryBaseMs,
});
