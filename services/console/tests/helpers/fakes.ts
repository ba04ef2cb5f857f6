// The unreachable outside services of the Transcripts page, as local servers speaking their documented
// formats: YouTube's InnerTube player and timed-text endpoints (one video, a caption track from
// transcript-api's own fixtures) and an OpenAI-compatible speech-to-text endpoint. transcript-api's
// tests have fuller fakes (they check every request); these answer what one page visit asks.
import { readBody, sendJson, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const TRANSCRIPT_FIXTURES = fileURLToPath(new URL('../../../transcript-api/tests/fixtures/', import.meta.url));

export const VIDEO = { id: 'dQw4w9WgXcQ', title: 'A video with captions' } as const;

/** `POST /youtubei/v1/player` names one English caption track; `GET /api/timedtext` serves it (json3). */
export async function startFakeYouTube(): Promise<FakeHttpServer> {
  const track = await readFile(`${TRANSCRIPT_FIXTURES}auto.en.json3`, 'utf8');
  return startFakeHttpServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://youtube.test');
    if (request.method === 'POST' && url.pathname === '/youtubei/v1/player') {
      const { videoId } = JSON.parse((await readBody(request)).toString()) as { videoId?: string };
      if (videoId !== VIDEO.id) {
        sendJson(response, 200, { playabilityStatus: { status: 'ERROR', reason: 'Video unavailable' } });
        return;
      }
      sendJson(response, 200, {
        playabilityStatus: { status: 'OK', playableInEmbed: true },
        videoDetails: { videoId, title: VIDEO.title, lengthSeconds: '30', author: 'Fake channel', isLiveContent: false },
        captions: {
          playerCaptionsTracklistRenderer: {
            captionTracks: [
              {
                baseUrl: `https://www.youtube.com/api/timedtext?v=${videoId}&lang=en&kind=asr`,
                name: { simpleText: 'English (auto-generated)' },
                vssId: 'a.en',
                languageCode: 'en',
                kind: 'asr',
                isTranslatable: false,
              },
            ],
            translationLanguages: [],
          },
        },
      });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/api/timedtext' && url.searchParams.get('v') === VIDEO.id) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' }).end(track);
      return;
    }
    sendJson(response, 404, {});
  });
}

export const SPOKEN = ['hello from the fake speech to text', 'and a second sentence'] as const;

/** `POST /v1/audio/transcriptions` answering `verbose_json` with two segments per chunk. */
export function startFakeStt(): Promise<FakeHttpServer> {
  return startFakeHttpServer(async (request, response) => {
    await readBody(request);
    if (request.method !== 'POST' || request.url !== '/v1/audio/transcriptions') {
      sendJson(response, 404, { error: { message: 'not found' } });
      return;
    }
    const segment = (id: number, start: number, end: number, text: string) => ({ id, seek: 0, start, end, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 });
    sendJson(response, 200, {
      task: 'transcribe',
      language: 'english',
      duration: 2,
      text: SPOKEN.join(' '),
      segments: [segment(0, 0, 1, SPOKEN[0]), segment(1, 1, 2, SPOKEN[1])],
    });
  });
}
