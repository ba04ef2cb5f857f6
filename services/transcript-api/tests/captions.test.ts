import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captionFixture, fakeYouTube, type FakeYouTube } from '../testing/index.js';
import { harness, type Harness } from './helpers/service.js';

const json3 = (...lines: [number, number, string][]) =>
  JSON.stringify({
    events: lines.map(([t, d, text]) => ({ tStartMs: t, dDurationMs: d, segs: [{ utf8: text }] })),
  });

let youtube: FakeYouTube;
let service: Harness;

beforeAll(async () => {
  youtube = await fakeYouTube({
    aaaaaaaaaaa: {
      title: 'Manual and auto',
      lengthSeconds: 212,
      translationLanguages: ['fr', 'es'],
      tracks: [
        {
          language: 'en',
          name: 'English (auto-generated)',
          asr: true,
          body: await captionFixture('auto-rolling.en.vtt'),
        },
        { language: 'de', name: 'Deutsch', body: await captionFixture('manual.de.srv3.xml') },
        {
          language: 'en-GB',
          name: 'English (United Kingdom)',
          body: json3([0, 1500, 'Hello &amp; welcome'], [1500, 2000, 'to the show']),
        },
      ],
    },
    bbbbbbbbbbb: {
      title: 'Auto only',
      lengthSeconds: 30,
      tracks: [
        {
          language: 'en',
          name: 'English (auto-generated)',
          asr: true,
          body: await captionFixture('auto.en.json3'),
          translatable: false,
        },
      ],
    },
    ccccccccccc: { title: 'No captions', lengthSeconds: 10, tracks: [] },
    ppppppppppp: {
      title: '',
      lengthSeconds: 0,
      status: 'LOGIN_REQUIRED',
      reason: 'This video is private',
      tracks: [],
    },
    eeeeeeeeeee: {
      title: 'Empty track',
      lengthSeconds: 5,
      tracks: [{ language: 'en', name: 'English', body: '' }],
    },
  });
  youtube.translations.set('de>fr', json3([1200, 2500, 'Bonjour chers spectateurs']));
  service = await harness({
    YOUTUBE_BASE_URL: youtube.url,
    YOUTUBE_TIMEOUT_MS: '3000',
    TRANSCRIPT_API_KEYS: 'k1,k2',
  });
});

afterAll(async () => {
  await service.close();
  await youtube.close();
});

const post = (body: unknown, key = 'k2') =>
  service.app.inject({
    method: 'POST',
    url: '/v1/captions',
    payload: body as Record<string, unknown>,
    headers: { 'x-api-key': key },
  });

describe('POST /v1/captions', () => {
  it('prefers a manual track in the order of languages, over an auto track of an earlier language', async () => {
    const response = await post({ url: 'https://youtu.be/aaaaaaaaaaa?t=5', languages: ['en', 'de'] });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      video_id: 'aaaaaaaaaaa',
      url: 'https://www.youtube.com/watch?v=aaaaaaaaaaa',
      title: 'Manual and auto',
      duration_s: 212,
      language: 'en-GB',
      kind: 'manual',
      segments: [
        { start: 0, end: 1.5, text: 'Hello & welcome' },
        { start: 1.5, end: 3.5, text: 'to the show' },
      ],
      text: 'Hello & welcome to the show',
    });
    // The player request went to InnerTube's path and the track was asked for as json3.
    expect(youtube.requests.some((r) => r.path.startsWith('/youtubei/v1/player') && r.body.includes('"videoId":"aaaaaaaaaaa"'))).toBe(true);
    expect(youtube.requests.some((r) => r.path.includes('lang=en-GB') && r.path.includes('fmt=json3'))).toBe(true);
  });

  it('takes the first language that has a manual track', async () => {
    const response = await post({
      url: 'https://www.youtube.com/watch?v=aaaaaaaaaaa',
      languages: ['de', 'en'],
    });
    expect(response.json()).toMatchObject({
      language: 'de',
      kind: 'manual',
      text: "Guten Tag, liebe Zuschauer! Heute geht's um Tom & Jerry und mehr.",
    });
  });

  it('falls back to auto captions and merges their rolling duplicates', async () => {
    const response = await post({ url: 'youtube.com/shorts/aaaaaaaaaaa', languages: ['fr', 'en'] });
    expect(response.statusCode).toBe(200);
    // en-GB is manual and matches "en" by base language, so it wins over the auto "en" track.
    expect(response.json()).toMatchObject({ language: 'en-GB', kind: 'manual' });
    const auto = await post({ url: 'https://m.youtube.com/watch?v=bbbbbbbbbbb' });
    expect(auto.json()).toMatchObject({
      language: 'en',
      kind: 'auto',
      text: "so today we're going to talk about [Music]",
    });
  });

  it('merges rolling duplicates of an auto WebVTT track', async () => {
    const vttVideo = await fakeYouTube({
      vvvvvvvvvvv: {
        title: 'v',
        lengthSeconds: 10,
        tracks: [{ language: 'en', name: 'auto', asr: true, body: await captionFixture('auto-rolling.en.vtt') }],
      },
    });
    const other = await harness({ YOUTUBE_BASE_URL: vttVideo.url });
    try {
      const response = await other.app.inject({
        method: 'POST',
        url: '/v1/captions',
        payload: { url: 'https://youtu.be/vvvvvvvvvvv' },
      });
      expect(response.json()).toMatchObject({
        text: "so today we're going to talk about the weather & climate and why it changes no no really",
      });
    } finally {
      await other.close();
      await vttVideo.close();
    }
  });

  it('translates a track when asked', async () => {
    const response = await post({
      url: 'https://youtu.be/aaaaaaaaaaa',
      languages: ['de'],
      translate_to: 'fr',
    });
    expect(response.json()).toMatchObject({
      language: 'fr',
      translated_from: 'de',
      text: 'Bonjour chers spectateurs',
    });
    expect(youtube.requests.some((r) => r.path.includes('lang=de') && r.path.includes('tlang=fr'))).toBe(true);
  });

  it('refuses to translate an untranslatable track', async () => {
    const response = await post({ url: 'https://youtu.be/bbbbbbbbbbb', translate_to: 'fr' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'TRANSLATION_UNAVAILABLE' });
  });

  it.each([
    ['srt', 'application/x-subrip', '1\n00:00:00,000 --> 00:00:01,500\nHello & welcome\n\n2\n00:00:01,500 --> 00:00:03,500\nto the show\n'],
    ['vtt', 'text/vtt', 'WEBVTT\n\n00:00:00.000 --> 00:00:01.500\nHello & welcome\n\n00:00:01.500 --> 00:00:03.500\nto the show\n'],
    ['txt', 'text/plain', 'Hello & welcome to the show\n'],
  ])('answers format %s', async (format, type, body) => {
    const response = await post({ url: 'https://youtu.be/aaaaaaaaaaa', languages: ['en-GB'], format });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain(type);
    expect(response.body).toBe(body);
  });

  it('answers 404 with the languages that exist', async () => {
    const response = await post({ url: 'https://youtu.be/aaaaaaaaaaa', languages: ['ja', 'ko'] });
    expect(response.statusCode).toBe(404);
    const body = response.json<{ code: string; message: string; details: unknown[] }>();
    expect(body.code).toBe('CAPTIONS_NOT_FOUND');
    expect(body.message).toBe('No captions in ja, ko; available: en, de, en-GB');
    expect(body.details).toContainEqual({ language: 'de', kind: 'manual', name: 'Deutsch' });
  });

  it('answers 404 for a video without captions and for a removed video, 403 for a private one', async () => {
    expect((await post({ url: 'https://youtu.be/ccccccccccc' })).json()).toMatchObject({
      code: 'CAPTIONS_NOT_FOUND',
    });
    const removed = await post({ url: 'https://youtu.be/zzzzzzzzzzz' });
    expect(removed.statusCode).toBe(404);
    expect(removed.json()).toMatchObject({ code: 'VIDEO_UNAVAILABLE' });
    const hidden = await post({ url: 'https://youtu.be/ppppppppppp' });
    expect(hidden.statusCode).toBe(403);
    expect(hidden.json()).toMatchObject({
      code: 'VIDEO_UNAVAILABLE',
      message: 'Video ppppppppppp cannot be watched: This video is private',
    });
  });

  it('answers 502 when YouTube fails or returns an empty track', async () => {
    const empty = await post({ url: 'https://youtu.be/eeeeeeeeeee' });
    expect(empty.statusCode).toBe(502);
    expect(empty.json()).toMatchObject({
      code: 'EXTERNAL_SERVICE_ERROR',
      message: 'YouTube returned an empty caption track',
    });
    youtube.failPlayer = 500;
    try {
      const response = await post({ url: 'https://youtu.be/aaaaaaaaaaa' });
      expect(response.statusCode).toBe(502);
      // No upstream URL, status line or body in the answer.
      expect(response.json<{ message: string }>().message).toBe('YouTube answered unexpectedly');
    } finally {
      youtube.failPlayer = undefined;
    }
  });

  it('rejects bad URLs and bodies with 400, and calls without a key with 401', async () => {
    expect((await post({ url: 'https://vimeo.com/1' })).json()).toMatchObject({
      code: 'YOUTUBE_URL_UNSUPPORTED',
    });
    expect((await post({ url: 'https://youtube.com/watch?v=nope' })).statusCode).toBe(400);
    expect((await post({ languages: ['en'] })).json()).toMatchObject({ code: 'INVALID_INPUT' });
    expect((await post({ url: 'https://youtu.be/aaaaaaaaaaa', format: 'docx' })).statusCode).toBe(400);
    expect((await post({ url: 'https://youtu.be/aaaaaaaaaaa', languages: ['english!'] })).statusCode).toBe(400);
    const unauthorised = await post({ url: 'https://youtu.be/aaaaaaaaaaa' }, 'wrong');
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.json()).toMatchObject({ code: 'UNAUTHORIZED' });
  });
});

describe('GET /v1/captions/{video_id}/tracks', () => {
  it('lists the tracks', async () => {
    const response = await service.app.inject({
      url: '/v1/captions/aaaaaaaaaaa/tracks',
      headers: { 'x-api-key': 'k1' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      video_id: 'aaaaaaaaaaa',
      title: 'Manual and auto',
      duration_s: 212,
      tracks: [
        { language: 'en', name: 'English (auto-generated)', kind: 'auto', translatable: true },
        { language: 'de', name: 'Deutsch', kind: 'manual', translatable: true },
        { language: 'en-GB', name: 'English (United Kingdom)', kind: 'manual', translatable: true },
      ],
      translation_languages: ['fr', 'es'],
    });
  });

  it('accepts an encoded URL and rejects junk', async () => {
    const url = encodeURIComponent('https://youtu.be/aaaaaaaaaaa');
    expect((await service.app.inject({ url: `/v1/captions/${url}/tracks`, headers: { 'x-api-key': 'k1' } })).statusCode).toBe(200);
    const junk = await service.app.inject({
      url: '/v1/captions/nope/tracks',
      headers: { 'x-api-key': 'k1' },
    });
    expect(junk.statusCode).toBe(400);
  });
});
