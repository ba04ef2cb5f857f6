import { invalidInput } from '@platform/core';

export interface LocalTime {
  year: number;
  /** 1..12 */
  month: number;
  /** Days since 1970-01-01 in local time: consecutive local dates differ by one. */
  day: number;
  hour: number;
  /** 0 = Monday .. 6 = Sunday */
  weekday: number;
}

const DAY_MS = 86_400_000;
/** Every UTC offset change since 1970 falls on a quarter hour, so an offset is constant within one. */
const BUCKET_MS = 15 * 60_000;

/** Local calendar fields of instants in one IANA time zone; offsets are cached per quarter hour. */
export class ZoneClock {
  readonly timeZone: string;
  private readonly format: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

  constructor(timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch {
      throw invalidInput(`unknown time zone ${JSON.stringify(timeZone)}`);
    }
    this.timeZone = this.format.resolvedOptions().timeZone;
  }

  /** The zone's offset from UTC at an instant, in ms. */
  offsetMs(utcMs: number): number {
    const bucket = Math.floor(utcMs / BUCKET_MS);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * BUCKET_MS;
      const parts: Record<string, number> = {};
      for (const part of this.format.formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
      const wall = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0);
      offset = wall - at;
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  local(utcMs: number): LocalTime {
    const wall = new Date(utcMs + this.offsetMs(utcMs));
    return {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: Math.floor(wall.getTime() / DAY_MS),
      hour: wall.getUTCHours(),
      weekday: (wall.getUTCDay() + 6) % 7,
    };
  }

  /** The UTC instants where a local year starts and ends (end exclusive). */
  yearRange(year: number): { fromMs: number; toMs: number } {
    const start = (y: number) => {
      const guess = Date.UTC(y, 0, 1);
      return guess - this.offsetMs(guess - this.offsetMs(guess));
    };
    return { fromMs: start(year), toMs: start(year + 1) };
  }
}

/** `YYYY-MM-DD` of a local day number. */
export const dayLabel = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
