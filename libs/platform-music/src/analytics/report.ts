import { z } from 'zod';
import { ServiceName } from '../model.js';

const Ranked = { name: z.string(), plays: z.number().int(), minutes: z.number() };
export const RankedArtist = z.object(Ranked);
export const RankedTrack = z.object({ ...Ranked, artist: z.string() });

export const WrappedReport = z.object({
  year: z.number().int(),
  time_zone: z.string(),
  generated_at: z.string(),
  services: z.array(ServiceName),
  totals: z.object({
    plays: z.number().int(),
    minutes: z.number(),
    /** Plays whose length is unknown (Last.fm, YouTube Takeout): counted as plays, not in minutes. */
    plays_without_duration: z.number().int(),
    /** Plays under 30 s: not counted at all. */
    short_plays_skipped: z.number().int(),
    /** Plays whose time is an estimate (Apple Music live API): in totals, rankings and months only. */
    plays_with_approximate_time: z.number().int(),
    distinct_tracks: z.number().int(),
    distinct_artists: z.number().int(),
    distinct_albums: z.number().int(),
  }),
  top_artists: z.array(RankedArtist),
  top_tracks: z.array(RankedTrack),
  top_albums: z.array(RankedTrack),
  months: z.array(
    z.object({
      month: z.number().int().min(1).max(12),
      plays: z.number().int(),
      minutes: z.number(),
      top_artist: RankedArtist.nullable(),
      top_track: RankedTrack.nullable(),
    }),
  ),
  /** Plays per local hour 0..23 (plays with an approximate time left out, as in weekdays and days). */
  by_hour: z.array(z.number().int()).length(24),
  /** Plays per weekday, Monday first. */
  by_weekday: z.array(z.number().int()).length(7),
  longest_streak: z.object({ days: z.number().int(), start: z.string(), end: z.string() }).nullable(),
  busiest_day: z.object({ date: z.string(), plays: z.number().int(), minutes: z.number() }).nullable(),
  /** Artists first heard this year; null when no earlier history was available to tell. */
  new_artists: z.object({ count: z.number().int(), top: z.array(RankedArtist) }).nullable(),
  /** The top artist's share of all plays, 0..1. */
  top_artist_share: z.number(),
});
export type WrappedReport = z.infer<typeof WrappedReport>;
export type RankedArtist = z.infer<typeof RankedArtist>;
export type RankedTrack = z.infer<typeof RankedTrack>;
