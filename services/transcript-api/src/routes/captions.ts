import type { PlatformApp } from '@platform/core';
import { z } from 'zod';
import { Language } from '../models/jobs.js';
import { OutputFormat, Segment } from '../models/transcript.js';
import { canonicalUrl, parseYouTubeUrl } from '../models/youtube-url.js';
import { fetchCaptions } from '../services/captions/captions.js';
import type { YouTube } from '../services/captions/youtube.js';
import { CONTENT_TYPES, render } from '../services/formats.js';

/** txt, srt and vtt answers (sent as text, not serialised as JSON). */
const TextBody = z.string().describe('the transcript as txt, srt or vtt when format is not json');

const CaptionsBody = z.object({
  url: z.string().max(2048),
  languages: z.array(Language).max(20).optional(),
  translate_to: Language.optional(),
  format: OutputFormat.default('json'),
});

const CaptionsDocument = z.object({
  video_id: z.string(),
  url: z.string(),
  title: z.string(),
  duration_s: z.number(),
  language: z.string(),
  kind: z.enum(['manual', 'auto']),
  translated_from: z.string().optional(),
  segments: z.array(Segment),
  text: z.string(),
});

const TracksDocument = z.object({
  video_id: z.string(),
  title: z.string(),
  duration_s: z.number(),
  tracks: z.array(
    z.object({
      language: z.string(),
      name: z.string(),
      kind: z.enum(['manual', 'auto']),
      translatable: z.boolean(),
    }),
  ),
  translation_languages: z.array(z.string()),
});

export function registerCaptionRoutes(app: PlatformApp, youtube: YouTube, defaultLanguages: string[]): void {
  app.post(
    '/v1/captions',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Captions of a YouTube video',
        description: 'Manual tracks are preferred over auto-generated ones, in the order of `languages`.',
        body: CaptionsBody,
        response: { 200: CaptionsDocument.or(TextBody) },
      },
    },
    async (request, reply) => {
      const { url, languages, translate_to: translateTo, format } = request.body;
      const videoId = parseYouTubeUrl(url);
      const wanted = languages && languages.length > 0 ? languages : defaultLanguages;
      const captions = await fetchCaptions(youtube, { videoId, languages: wanted, translateTo });
      if (format === 'json') return { ...captions, url: canonicalUrl(videoId) };
      return reply.type(CONTENT_TYPES[format]).send(render(format, captions.segments));
    },
  );

  app.get(
    '/v1/captions/:video_id/tracks',
    {
      config: { auth: 'api' },
      schema: {
        summary: 'Caption tracks of a YouTube video',
        params: z.object({ video_id: z.string().max(2048) }),
        response: { 200: TracksDocument },
      },
    },
    async (request) => {
      // A full URL is accepted too (encoded), so callers need not extract the id themselves.
      const videoId = parseYouTubeUrl(
        /^[A-Za-z0-9_-]{11}$/.test(request.params.video_id) ? `youtu.be/${request.params.video_id}` : request.params.video_id,
      );
      const video = await youtube.captions(videoId);
      return {
        ...video,
        tracks: video.tracks.map(({ language, name, kind, translatable }) => ({
          language,
          name,
          kind,
          translatable,
        })),
      };
    },
  );
}
