import { AppError, errorMessage } from '@platform/core';
import { Innertube, Log, type Types } from 'youtubei.js';

// youtubei.js logs parser notes to the console; failures reach us as exceptions instead.
Log.setLevel(Log.Level.NONE);

/** Hosts whose requests go to the configured base URL (the web origin and the InnerTube API origin). */
const YOUTUBE_ORIGINS = new Set(['https://www.youtube.com', 'https://youtubei.googleapis.com']);

export interface CaptionTrack {
  language: string;
  name: string;
  kind: 'manual' | 'auto';
  translatable: boolean;
  url: string;
}

export interface VideoCaptions {
  video_id: string;
  title: string;
  duration_s: number;
  tracks: CaptionTrack[];
  translation_languages: string[];
}

export interface YouTubeOptions {
  baseUrl: string;
  client: Types.InnerTubeClient;
  timeoutMs: number;
}

const upstream = (message: string, cause?: unknown) => new AppError('EXTERNAL_SERVICE_ERROR', message, { cause });

/**
 * YouTube through youtubei.js (InnerTube). Every request it makes, and the caption downloads, go through
 * one fetch that maps YouTube's origins onto `baseUrl`, so a mirror or a local server can stand in.
 */
export class YouTube {
  private innertube: Promise<Innertube> | undefined;
  private readonly base: URL;

  constructor(private readonly options: YouTubeOptions) {
    this.base = new URL(options.baseUrl);
  }

  readonly fetch = async (input: Request | string | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    if (YOUTUBE_ORIGINS.has(url.origin)) {
      url.protocol = this.base.protocol;
      url.host = this.base.host;
      url.pathname = this.base.pathname.replace(/\/$/, '') + url.pathname;
    }
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await fetch(new Request(url, request), { ...init, signal });
    } catch (error) {
      if (signal.aborted) throw new AppError('TIMEOUT', `YouTube did not answer within ${this.options.timeoutMs} ms`);
      // The network error names the (configured) upstream address: it stays in the cause, for logs.
      throw upstream('YouTube could not be reached', error);
    }
  };

  private session(): Promise<Innertube> {
    this.innertube ??= Innertube.create({
      fetch: this.fetch,
      retrieve_player: false,
      generate_session_locally: true,
      retrieve_innertube_config: false,
      enable_session_cache: false,
    }).catch((error: unknown) => {
      this.innertube = undefined;
      throw error;
    });
    return this.innertube;
  }

  async captions(videoId: string): Promise<VideoCaptions> {
    const innertube = await this.session();
    let info: Awaited<ReturnType<Innertube['getBasicInfo']>>;
    try {
      info = await innertube.getBasicInfo(videoId, { client: this.options.client });
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (errorMessage(error) === 'This video is unavailable') {
        throw new AppError('VIDEO_UNAVAILABLE', `Video ${videoId} is unavailable (private, removed or never existed)`, { status: 404 });
      }
      // youtubei.js's message quotes the request URL and the upstream's answer: logs only.
      throw upstream('YouTube answered unexpectedly', error);
    }
    const playability = info.playability_status;
    if (playability && playability.status !== 'OK' && playability.status !== 'LIVE_STREAM_OFFLINE') {
      const reason = playability.reason === '' ? playability.status : playability.reason;
      throw new AppError('VIDEO_UNAVAILABLE', `Video ${videoId} cannot be watched: ${reason}`, {
        status: 403,
      });
    }
    const tracks = (info.captions?.caption_tracks ?? []).map((track): CaptionTrack => ({
      language: track.language_code,
      name: track.name.toString(),
      kind: track.kind === 'asr' ? 'auto' : 'manual',
      translatable: track.is_translatable,
      url: track.base_url,
    }));
    return {
      video_id: videoId,
      title: info.basic_info.title ?? '',
      duration_s: info.basic_info.duration ?? 0,
      tracks,
      translation_languages: (info.captions?.translation_languages ?? []).map((language) => language.language_code),
    };
  }

  /** The track's timed text, asked for as json3 (optionally machine-translated to `translateTo`). */
  async download(track: CaptionTrack, translateTo?: string): Promise<string> {
    const url = new URL(track.url);
    url.searchParams.set('fmt', 'json3');
    if (translateTo !== undefined) url.searchParams.set('tlang', translateTo);
    const response = await this.fetch(url);
    const body = await response.text();
    if (!response.ok) throw upstream(`YouTube answered ${response.status} for the caption track`);
    // YouTube answers 200 with an empty body when it refuses a track (for example without a PO token).
    if (body.trim() === '') throw upstream('YouTube returned an empty caption track');
    return body;
  }
}
