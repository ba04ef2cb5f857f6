import { decodeEvent, errorMessage, type Logger, type PlatformEvent } from '@platform/core';
import { eventNames, type RedisConnection } from '@platform/workers';

/** An event with its place in its stream: `{domain}@{stream id}`, unique and usable as an SSE id. */
export interface StreamedEvent {
  id: string;
  event: PlatformEvent;
}

export interface EventFilter {
  domains?: ReadonlySet<string>;
  userId?: string;
  jobId?: string;
}

export type Listener = (event: StreamedEvent) => void;

type StreamEntries = [id: string, fields: string[]][];

export function matches(filter: EventFilter, { event }: StreamedEvent): boolean {
  if (filter.domains && filter.domains.size > 0 && !filter.domains.has(event.domain)) return false;
  if (filter.userId !== undefined && event.user_id !== filter.userId) return false;
  return filter.jobId === undefined || event.job_id === filter.jobId;
}

const isMetrics = (event: PlatformEvent) => event.type.includes('.metrics.');

function lastMetricsOnly(events: StreamedEvent[]): StreamedEvent[] {
  const last = new Map<string, string>();
  for (const { id, event } of events) if (isMetrics(event)) last.set(`${event.domain}/${event.job_id}/${event.type}`, id);
  return events.filter(({ id, event }) => !isMetrics(event) || last.get(`${event.domain}/${event.job_id}/${event.type}`) === id);
}

export interface EventHubOptions {
  /** Commands (the recent events). */
  redis: RedisConnection;
  /** A connection of its own: XREAD BLOCK holds it. */
  blocking: RedisConnection;
  domains: readonly string[];
  namespace: string;
  logger: Logger;
  blockMs?: number;
}

/**
 * Follows every domain's `events:{domain}` stream with one blocking XREAD (not a consumer group: the
 * console only watches, it never takes events from the bot) and fans the events out to the open pages.
 */
export class EventHub {
  private readonly listeners = new Set<Listener>();
  private readonly streams: Map<string, string>;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: EventHubOptions) {
    this.streams = new Map(options.domains.map((domain) => [eventNames(domain, options.namespace).stream, domain]));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The latest `limit` events matching the filter, oldest first. With `latestMetrics`, only the last
   * metrics event of each job and kind counts, so a training run's steady stream of step metrics does
   * not push every lifecycle event out of the backlog.
   */
  async recent(filter: EventFilter, limit: number, latestMetrics = false): Promise<StreamedEvent[]> {
    const all = await Promise.all(
      [...this.streams].map(async ([stream, domain]) => {
        if (filter.domains && filter.domains.size > 0 && !filter.domains.has(domain)) return [];
        const entries = (await this.options.redis.xrevrange(stream, '+', '-', 'COUNT', Math.min(limit * 4, 2000))) as StreamEntries;
        return entries.flatMap(([id, fields]) => this.decoded(domain, id, fields));
      }),
    );
    const sorted = all
      .flat()
      .filter((event) => matches(filter, event))
      .sort((a, b) => a.event.ts.localeCompare(b.event.ts));
    return (latestMetrics ? lastMetricsOnly(sorted) : sorted).slice(-limit);
  }

  /** Starts following from the streams' current ends; never fails (a Redis that is away is retried). */
  start(): void {
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.options.blocking.disconnect(); // interrupts the blocking read
    await this.loop;
  }

  private async cursors(): Promise<Map<string, string>> {
    const cursors = new Map<string, string>();
    for (const stream of this.streams.keys()) {
      const [last] = (await this.options.redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as StreamEntries;
      cursors.set(stream, last?.[0] ?? '0-0');
    }
    return cursors;
  }

  private async follow(): Promise<void> {
    const isRunning = () => this.running; // read through a call: stop() flips it while the loop awaits
    let cursors: Map<string, string> | undefined;
    while (isRunning()) {
      try {
        cursors ??= await this.cursors();
        const reply = await this.options.blocking.xread(
          'COUNT',
          200,
          'BLOCK',
          this.options.blockMs ?? 5_000,
          'STREAMS',
          ...cursors.keys(),
          ...cursors.values(),
        );
        for (const [stream, entries] of reply ?? []) {
          const domain = this.streams.get(stream) ?? '';
          for (const [id, fields] of entries) {
            cursors.set(stream, id);
            for (const event of this.decoded(domain, id, fields)) this.emit(event);
          }
        }
      } catch (error) {
        if (!isRunning()) break;
        this.options.logger.warn({ err: errorMessage(error) }, 'event stream read failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private emit(event: StreamedEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private decoded(domain: string, id: string, fields: string[]): StreamedEvent[] {
    const raw = fields[fields.indexOf('event') + 1];
    try {
      return [{ id: `${domain}@${id}`, event: decodeEvent(raw ?? '') }];
    } catch (error) {
      this.options.logger.debug({ domain, id, err: errorMessage(error) }, 'skipping malformed event');
      return [];
    }
  }
}
