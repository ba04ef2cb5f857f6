// How the end-to-end world starts each real service (its API, and its worker where a page runs jobs),
// isolated under the world's namespace, and what the console needs to reach it.
import { SERVICES } from '@platform/core';
import type { FakeHttpServer, SourceProcess } from '@platform/testing';
import { join } from 'node:path';
import { startFakeStt, startFakeYouTube } from './fakes.js';
import { startService, startWorkerProcess } from './processes.js';

export type WorldService = 'qr-api' | 'handwriting-ai' | 'model-trainer' | 'turkic-api' | 'transcript-api' | 'music-wrapped-api';

export interface WorldContext {
  namespace: string;
  /** A directory of this world's, removed at its end. */
  scratch: string;
  /** REDIS_URL and the data-bank the services store in. */
  shared: Record<string, string>;
}

export interface StartedService {
  /** Its processes (API first) and the local fakes it talks to. */
  processes: SourceProcess[];
  fakes: FakeHttpServer[];
  /** The console's variables for it: its URL and key. */
  consoleEnv: Record<string, string>;
}

const KEYS = {
  handwritingRead: 'e2e-hw-read',
  handwriting: 'e2e-hw-api',
  trainer: 'e2e-trainer',
  turkic: 'e2e-turkic',
  transcript: 'e2e-transcript',
  music: 'e2e-music',
};

/** The API, then the worker once the API answers (a worker that fails to start shows in the test that uses it). */
async function apiAndWorker(
  name: WorldService,
  env: Record<string, string>,
  consoleEnv: Record<string, string>,
  fakes: FakeHttpServer[] = [],
): Promise<StartedService> {
  const api = await startService(name, env);
  return { processes: [api, startWorkerProcess(name, env)], fakes, consoleEnv: { [SERVICES[name].urlVariable]: api.url, ...consoleEnv } };
}

const starters: Record<WorldService, (context: WorldContext) => Promise<StartedService>> = {
  'qr-api': async ({ shared }) => {
    const api = await startService('qr-api', shared);
    return { processes: [api], fakes: [], consoleEnv: { QR_API_URL: api.url } };
  },
  // No worker: the overview shows handwriting-ai degraded for that, which the overview test checks.
  'handwriting-ai': async ({ shared, namespace, scratch }) => {
    const api = await startService('handwriting-ai', {
      ...shared,
      HANDWRITING_READ_KEYS: KEYS.handwritingRead,
      HANDWRITING_API_KEYS: KEYS.handwriting,
      HANDWRITING_MODELS_DIR: join(scratch, 'handwriting'),
      HANDWRITING_REGISTRY_PREFIX: `${namespace}ml:models`,
      HANDWRITING_QUEUE_PREFIX: `${namespace}bull`,
      HANDWRITING_EVENTS_NAMESPACE: namespace,
    });
    return {
      processes: [api],
      fakes: [],
      consoleEnv: { HANDWRITING_AI_URL: api.url, HANDWRITING_READ_KEYS: KEYS.handwritingRead, HANDWRITING_API_KEYS: KEYS.handwriting },
    };
  },
  // The PyTorch kernel under /usr/bin/python3 (CPU); step events as often as the kernel writes them.
  'model-trainer': ({ shared, namespace, scratch }) =>
    apiAndWorker(
      'model-trainer',
      {
        ...shared,
        TRAINER_API_KEYS: KEYS.trainer,
        TRAINER_DATA_DIR: join(scratch, 'model-trainer'),
        TRAINER_KEY_PREFIX: `${namespace}trainer`,
        TRAINER_REGISTRY_PREFIX: `${namespace}ml:models`,
        TRAINER_QUEUE_PREFIX: `${namespace}bull`,
        TRAINER_EVENTS_NAMESPACE: namespace,
        TRAINER_STEP_EVENT_INTERVAL_MS: '100',
        PLATFORM_PYTHON: '/usr/bin/python3',
      },
      { TRAINER_API_KEYS: KEYS.trainer },
    ),
  // url sources may reach this machine (the corpus test serves one).
  'turkic-api': ({ shared, namespace }) =>
    apiAndWorker(
      'turkic-api',
      {
        ...shared,
        TURKIC_API_KEYS: KEYS.turkic,
        TURKIC_QUEUE_PREFIX: `${namespace}bull`,
        TURKIC_EVENTS_NAMESPACE: namespace,
        FETCH_ALLOW_LIST: '127.0.0.1',
      },
      { TURKIC_API_KEYS: KEYS.turkic },
    ),
  'transcript-api': async ({ shared, namespace, scratch }) => {
    const [youtube, stt] = await Promise.all([startFakeYouTube(), startFakeStt()]);
    const closeFakes = () => Promise.all([youtube.close(), stt.close()]);
    return apiAndWorker(
      'transcript-api',
      {
        ...shared,
        TRANSCRIPT_API_KEYS: KEYS.transcript,
        TRANSCRIPT_TMP_DIR: join(scratch, 'transcript-api'),
        TRANSCRIPT_QUEUE_PREFIX: `${namespace}bull`,
        TRANSCRIPT_EVENTS_NAMESPACE: namespace,
        YOUTUBE_BASE_URL: youtube.url,
        STT_PROVIDER: 'openai',
        STT_BASE_URL: `${stt.url}/v1`,
        STT_API_KEY: 'sk-e2e',
        STT_RETRY_BASE_MS: '10',
      },
      { TRANSCRIPT_API_KEYS: KEYS.transcript },
      [youtube, stt],
    ).catch(async (error: unknown) => {
      await closeFakes();
      throw error;
    });
  },
  // Exports only: no Spotify, Last.fm or Apple Music client is configured, so nothing outside is asked.
  'music-wrapped-api': ({ shared, namespace, scratch }) =>
    apiAndWorker(
      'music-wrapped-api',
      {
        ...shared,
        MUSIC_API_KEYS: KEYS.music,
        MUSIC_TMP_DIR: join(scratch, 'music-wrapped'),
        MUSIC_KEY_PREFIX: `${namespace}music`,
        MUSIC_QUEUE_PREFIX: `${namespace}bull`,
        MUSIC_EVENTS_NAMESPACE: namespace,
      },
      { MUSIC_API_KEYS: KEYS.music },
    ),
};

export const startWorldService = (name: WorldService, context: WorldContext): Promise<StartedService> => starters[name](context);
