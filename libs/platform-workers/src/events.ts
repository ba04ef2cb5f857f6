import { decodeEvent, encodeEvent, errorMessage, type Logger, type PlatformEvent } from '@platform/core';
import type { RedisConnection } from './redis.js';

export interface EventNames {
  channel: string;
  stream: string;
}

/**
 * Channel `{domain}:events` and stream `events:{domain}`. A namespace prefix keeps tests (or tenants)
 * apart on one Redis; production leaves it empty.
 */
export function eventNames(domain: string, namespace = ''): EventNames {
  return { channel: `${namespace}${domain}:events`, stream: `${namespace}events:${domain}` };
}

export interface EventPublisherOptions {
  namespace?: string;
  /** Approximate cap of each domain stream (default 10,000). */
  streamMaxLen?: number;
}

/** Publishes each event live (PUBLISH) and durably (XADD) in one MULTI. */
export class EventPublisher {
  constructor(
    private readonly redis: RedisConnection,
    private readonly options: EventPublisherOptions = {},
  ) {}

  /**
   * A transaction cut by a lost connection after Redis queued it but before EXEC answered is aborted by
   * ioredis (single commands are resent instead); it is sent again, once the connection is back. When
   * Redis went away cleanly (a shutdown, a Sentinel failover) EXEC never ran, so the event lands once.
   */
  async publish(event: PlatformEvent): Promise<void> {
    const json = encodeEvent(event);
    const names = eventNames(event.domain, this.options.namespace);
    const maxLen = String(this.options.streamMaxLen ?? 10_000);
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await this.redis
          .multi()
          .publish(names.channel, json)
          .xadd(names.stream, 'MAXLEN', '~', maxLen, '*', 'event', json)
          .exec();
        const failure = results?.find(([error]) => error !== null)?.[0];
        if (failure) throw failure;
        return;
      } catch (error) {
        if (attempt >= 3 || !(error instanceof Error && error.name === 'AbortError')) throw error;
      }
    }
  }
}

export type EventHandler = (event: PlatformEvent) => Promise<void> | void;

export interface Subscription {
  close(): Promise<void>;
}

/** Live delivery: subscribes to the domains' channels. Malformed events are logged and skipped. */
export async function subscribeEvents(options: {
  redis: RedisConnection;
  domains: string[];
  namespace?: string;
  logger: Logger;
  onEvent: EventHandler;
}): Promise<Subscription> {
  const { redis, logger } = options;
  const channels = options.domains.map((domain) => eventNames(domain, options.namespace).channel);
  redis.on('message', (channel: string, message: string) => {
    let event: PlatformEvent;
    try {
      event = decodeEvent(message);
    } catch (error) {
      logger.warn({ channel, err: errorMessage(error) }, 'skipping malformed event');
      return;
    }
    void Promise.resolve()
      .then(() => options.onEvent(event))
      .catch((error: unknown) => {
        logger.error({ channel, type: event.type, err: errorMessage(error) }, 'event handler failed');
      });
  });
  await redis.subscribe(...channels);
  return {
    close: async () => {
      // Best effort: on a connection that is down there is no subscription left to end.
      await redis.unsubscribe(...channels).catch(() => undefined);
    },
  };
}

export interface StreamConsumerOptions {
  /** A blocking connection of its own (XREADGROUP BLOCK holds it). */
  redis: RedisConnection;
  domain: string;
  group: string;
  consumer: string;
  namespace?: string;
  logger: Logger;
  onEvent: EventHandler;
  blockMs?: number;
  batchSize?: number;
}

type StreamEntries = [id: string, fields: string[]][];
type StreamReply = [stream: string, entries: StreamEntries][] | null;

/**
 * Catch-up delivery through a consumer group: first the entries this consumer was given but never
 * acknowledged, then new ones. An entry is acknowledged once its handler succeeds; a malformed entry is
 * logged and acknowledged so it never blocks the stream; a failing handler leaves it pending for the
 * next start.
 */
export async function consumeEventStream(options: StreamConsumerOptions): Promise<Subscription> {
  const { redis, logger, group, consumer } = options;
  const { stream } = eventNames(options.domain, options.namespace);
  try {
    await redis.xgroup('CREATE', stream, group, '$', 'MKSTREAM');
  } catch (error) {
    if (!errorMessage(error).includes('BUSYGROUP')) throw error;
  }

  let running = true;
  const isRunning = () => running; // read through a call: close() flips it while the loop awaits
  const handle = async (id: string, fields: string[]): Promise<void> => {
    const raw = fields[fields.indexOf('event') + 1];
    let event: PlatformEvent;
    try {
      event = decodeEvent(raw ?? '');
    } catch (error) {
      logger.warn({ stream, id, err: errorMessage(error) }, 'skipping malformed event');
      await redis.xack(stream, group, id);
      return;
    }
    await options.onEvent(event);
    await redis.xack(stream, group, id);
  };

  const loop = async () => {
    let cursor = '0'; // pending entries first, then new ones ('>')
    while (running) {
      try {
        const reply = (await redis.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          options.batchSize ?? 100,
          'BLOCK',
          options.blockMs ?? 5_000,
          'STREAMS',
          stream,
          cursor,
        )) as StreamReply;
        const entries = reply?.[0]?.[1] ?? [];
        if (cursor === '0' && entries.length === 0) cursor = '>';
        for (const [id, fields] of entries) {
          try {
            await handle(id, fields);
          } catch (error) {
            // Left pending; it is redelivered when this consumer starts again.
            logger.error({ stream, id, err: errorMessage(error) }, 'event handler failed');
            if (cursor === '0') cursor = '>';
          }
        }
      } catch (error) {
        if (!isRunning()) break;
        logger.warn({ stream, err: errorMessage(error) }, 'stream read failed, retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  };
  const done = loop();
  return {
    close: async () => {
      running = false;
      redis.disconnect(); // interrupts the blocking read
      await done;
    },
  };
}
