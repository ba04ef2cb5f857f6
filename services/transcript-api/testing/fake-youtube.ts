import { readBody, sendJson, startFakeHttpServer, type FakeHttpServer } from '@platform/testing';

export interface FakeTrack {
  language: string;
  name: string;
  asr?: boolean;
  /** The timed-text body served for this track (json3, XML or VTT). */
  body: string;
  translatable?: boolean;
}

export interface FakeVideo {
  title: string;
  lengthSeconds: number;
  /** OK, ERROR (removed), LOGIN_REQUIRED (private)... */
  status?: string;
  reason?: string;
  tracks: FakeTrack[];
  translationLanguages?: string[];
}

export interface FakeYouTube extends FakeHttpServer {
  requests: { method: string; path: string; body: string }[];
  /** Bodies of translated tracks, by `${language}>${tlang}`. */
  translations: Map<string, string>;
  failPlayer?: number;
}

/**
 * Speaks the InnerTube player endpoint (`POST /youtubei/v1/player`, the recorded response shape) and the
 * timed-text endpoint (`GET /api/timedtext?v=&lang=&kind=&fmt=&tlang=`).
 */
export async function fakeYouTube(videos: Record<string, FakeVideo>): Promise<FakeYouTube> {
  const state = {
    requests: [] as FakeYouTube['requests'],
    translations: new Map<string, string>(),
    failPlayer: undefined as number | undefined,
  };
  const server = await startFakeHttpServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const body = (await readBody(request)).toString();
    state.requests.push({ method: request.method ?? '', path: url.pathname + url.search, body });
    if (url.pathname === '/youtubei/v1/player' && request.method === 'POST') {
      if (state.failPlayer !== undefined) {
        sendJson(response, state.failPlayer, { error: { code: state.failPlayer } });
        return;
      }
      const { videoId } = JSON.parse(body) as { videoId: string };
      const video = videos[videoId];
      if (!video) {
        sendJson(response, 200, {
          playabilityStatus: { status: 'ERROR', reason: 'Video unavailable' },
        });
        return;
      }
      const base = `https://www.youtube.com/api/timedtext?v=${videoId}&ei=abc&caps=asr&opi=112496729&xoaf=5`;
      sendJson(response, 200, {
        responseContext: { visitorData: 'Cgt2aXNpdG9y' },
        playabilityStatus: {
          status: video.status ?? 'OK',
          ...(video.reason !== undefined && { reason: video.reason }),
          playableInEmbed: true,
        },
        videoDetails: {
          videoId,
          title: video.title,
          lengthSeconds: String(video.lengthSeconds),
          channelId: 'UC0000000000000000000000',
          shortDescription: '',
          isLiveContent: false,
          viewCount: '12345',
          author: 'Fake channel',
        },
        ...(video.tracks.length > 0 && {
          captions: {
            playerCaptionsTracklistRenderer: {
              captionTracks: video.tracks.map((track) => ({
                baseUrl: `${base}&lang=${track.language}${track.asr ? '&kind=asr' : ''}`,
                name: { simpleText: track.name },
                vssId: `${track.asr ? 'a' : ''}.${track.language}`,
                languageCode: track.language,
                ...(track.asr && { kind: 'asr' }),
                isTranslatable: track.translatable ?? true,
              })),
              translationLanguages: (video.translationLanguages ?? []).map((code) => ({
                languageCode: code,
                languageName: { simpleText: code },
              })),
            },
          },
        }),
      });
      return;
    }
    if (url.pathname === '/api/timedtext' && request.method === 'GET') {
      const video = videos[url.searchParams.get('v') ?? ''];
      const asr = url.searchParams.get('kind') === 'asr';
      const track = video?.tracks.find((t) => t.language === url.searchParams.get('lang') && Boolean(t.asr) === asr);
      if (!track) {
        sendJson(response, 404, {});
        return;
      }
      const tlang = url.searchParams.get('tlang');
      response.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      response.end(tlang === null ? track.body : (state.translations.get(`${track.language}>${tlang}`) ?? ''));
      return;
    }
    sendJson(response, 404, {});
  });
  return Object.assign(state, server);
}
