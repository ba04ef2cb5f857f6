import { AppError } from '@platform/core';
import type { Segment } from '../../models/transcript.js';
import { segmentsText } from '../formats.js';
import { mergeRollingDuplicates, tidySegments } from './clean.js';
import { parseCaptions } from './parse.js';
import type { CaptionTrack, YouTube } from './youtube.js';

export interface CaptionRequest {
  videoId: string;
  languages: string[];
  translateTo?: string | undefined;
}

export interface Captions {
  video_id: string;
  title: string;
  duration_s: number;
  language: string;
  kind: 'manual' | 'auto';
  translated_from?: string;
  segments: Segment[];
  text: string;
}

const primary = (code: string) => code.toLowerCase().split('-')[0] ?? '';

/** Manual tracks before auto-generated ones; within a kind, the order of `languages` (exact code, then base language). */
function chooseTrack(tracks: CaptionTrack[], languages: string[]): CaptionTrack | undefined {
  for (const kind of ['manual', 'auto'] as const) {
    const ofKind = tracks.filter((track) => track.kind === kind);
    for (const language of languages) {
      const exact = ofKind.find((track) => track.language.toLowerCase() === language.toLowerCase());
      const base = ofKind.find((track) => primary(track.language) === primary(language));
      const found = exact ?? base;
      if (found) return found;
    }
  }
  return undefined;
}

const describe = (tracks: CaptionTrack[]) => tracks.map((track) => ({ language: track.language, kind: track.kind, name: track.name }));

export async function fetchCaptions(youtube: YouTube, request: CaptionRequest): Promise<Captions> {
  const video = await youtube.captions(request.videoId);
  if (video.tracks.length === 0) {
    throw new AppError('CAPTIONS_NOT_FOUND', `Video ${request.videoId} has no captions`, { status: 404 });
  }
  const { translateTo } = request;
  // With a translation target any translatable track will do when none is in the wanted languages.
  const track =
    chooseTrack(video.tracks, request.languages) ??
    (translateTo === undefined
      ? undefined
      : chooseTrack(
          video.tracks.filter((t) => t.translatable),
          video.tracks.map((t) => t.language),
        ));
  if (!track) {
    throw new AppError(
      'CAPTIONS_NOT_FOUND',
      `No captions in ${request.languages.join(', ')}; available: ${[...new Set(video.tracks.map((t) => t.language))].join(', ')}`,
      { status: 404, details: describe(video.tracks) },
    );
  }
  const translate = translateTo !== undefined && primary(translateTo) !== primary(track.language);
  if (translate && !track.translatable) {
    throw new AppError('TRANSLATION_UNAVAILABLE', `The ${track.language} captions of ${request.videoId} cannot be translated`, {
      status: 404,
    });
  }
  const body = await youtube.download(track, translate ? translateTo : undefined);
  let segments: Segment[];
  try {
    segments = parseCaptions(body);
  } catch (error) {
    throw new AppError('EXTERNAL_SERVICE_ERROR', 'YouTube returned a caption track we could not read', {
      cause: error,
    });
  }
  segments = tidySegments(track.kind === 'auto' ? mergeRollingDuplicates(segments) : segments);
  return {
    video_id: video.video_id,
    title: video.title,
    duration_s: video.duration_s,
    language: translate ? translateTo : track.language,
    kind: track.kind,
    ...(translate && { translated_from: track.language }),
    segments,
    text: segmentsText(segments),
  };
}
