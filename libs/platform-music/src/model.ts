import { z } from 'zod';

export const ServiceName = z.enum(['spotify', 'apple_music', 'youtube_music', 'lastfm']);
export type ServiceName = z.infer<typeof ServiceName>;

/** One play from any service, normalised. Times are UTC epoch milliseconds. */
export interface PlayRecord {
  service: ServiceName;
  /** When the play started (UTC epoch ms). */
  played_at_ms: number;
  /**
   * The service gave no time and `played_at_ms` is an estimate (Apple Music's live API: plays placed
   * back-to-back before the fetch). Counted in totals and rankings, left out of hours, weekdays and days.
   */
  played_at_approximate?: boolean;
  /** The listener's UTC offset at the time, when the service records it (Apple does). */
  utc_offset_minutes?: number;
  track: string;
  /** Primary artist first; never empty. */
  artists: string[];
  album?: string;
  /** How long it actually played, when known (Spotify, Apple exports). */
  ms_played?: number;
  /** The track's full length, when known. */
  duration_ms?: number;
  /** The track's id in each service that named one (Spotify URI, Apple id, YouTube video id, MusicBrainz id). */
  ids: Partial<Record<ServiceName, string>>;
}

/** Anything that yields a user's plays between two instants (live APIs and imported exports). */
export interface HistorySource {
  readonly service: ServiceName;
  plays(range: { fromMs: number; toMs: number }, signal?: AbortSignal): AsyncIterable<PlayRecord>;
}

/** How long a play lasted for counting: what was played, else the track length, else unknown. */
export const listenedMs = (play: PlayRecord): number | undefined => play.ms_played ?? play.duration_ms;
