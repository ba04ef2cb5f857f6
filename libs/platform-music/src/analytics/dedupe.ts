import type { PlayRecord } from '../model.js';

/** Two services log the same play within this window of each other (start vs scrobble times differ). */
const WINDOW_MS = 3 * 60_000;

const identity = (play: PlayRecord) => `${play.track.toLowerCase()}\u0000${(play.artists[0] ?? '').toLowerCase()}`;

/**
 * Drops plays that another source already recorded: same track and artist, from a different service,
 * within three minutes. Memory grows with the plays of the merged sources (only needed when merging).
 */
export class CrossSourceDeduper {
  private readonly seen = new Map<string, { service: string; at: number }[]>();

  /** True when the play is new; false when another service already reported it. */
  accept(play: PlayRecord): boolean {
    const id = identity(play);
    const earlier = this.seen.get(id);
    if (earlier?.some((other) => other.service !== play.service && Math.abs(other.at - play.played_at_ms) <= WINDOW_MS)) {
      return false;
    }
    if (earlier) earlier.push({ service: play.service, at: play.played_at_ms });
    else this.seen.set(id, [{ service: play.service, at: play.played_at_ms }]);
    return true;
  }
}
