import type { PlayRecord, ServiceName } from '../model.js';

/** Two services log the same play within this window of each other (start vs scrobble times differ). */
const WINDOW_MS = 3 * 60_000;
/**
 * When one side's time is an estimate (Apple Music's live recent plays, placed back-to-back before the
 * fetch), the real play may lie hours earlier: recent plays only reach back a few dozen tracks.
 */
const APPROXIMATE_WINDOW_MS = 24 * 60 * 60_000;

const identity = (play: PlayRecord) => `${play.track.toLowerCase()}\u0000${(play.artists[0] ?? '').toLowerCase()}`;

interface Kept {
  service: ServiceName;
  at: number;
  approximate: boolean;
  /** Services whose copy of this play was already dropped (each absorbs one); made on first use. */
  absorbed?: ServiceName[];
}

/**
 * Drops plays that another source already recorded: same track and artist, from a different service,
 * within three minutes (a day when either time is approximate), one copy per service and kept play.
 * Memory grows with the plays of the merged sources (only needed when merging).
 */
export class CrossSourceDeduper {
  private readonly seen = new Map<string, Kept[]>();

  /** True when the play is new; false when another service already reported it. */
  accept(play: PlayRecord): boolean {
    const id = identity(play);
    const approximate = play.played_at_approximate === true;
    const earlier = this.seen.get(id);
    const same = earlier?.find(
      (other) =>
        other.service !== play.service &&
        !other.absorbed?.includes(play.service) &&
        Math.abs(other.at - play.played_at_ms) <= (approximate || other.approximate ? APPROXIMATE_WINDOW_MS : WINDOW_MS),
    );
    if (same) {
      (same.absorbed ??= []).push(play.service);
      return false;
    }
    const kept: Kept = { service: play.service, at: play.played_at_ms, approximate };
    if (earlier) earlier.push(kept);
    else this.seen.set(id, [kept]);
    return true;
  }
}
