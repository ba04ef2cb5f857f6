import { decodeEvent, errorMessage, type Logger, type PlatformEvent } from '@platform/core';
import { eventNames } from '@platform/workers';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import type { JobRecord, JobStore } from './job-store.js';
import type { JobView } from './job-view.js';

export interface DeliveryOptions {
  /** Commands (acks, the job store, dead letters). */
  redis: Redis;
  /** A connection of its own for the blocking XREADGROUP. */
  blocking: Redis;
  store: JobStore;
  domains: string[];
  group: string;
  /** Stable across restarts: pending entries are redelivered to the same consumer name. */
  consumer: string;
  namespace?: string;
  logger: Logger;
  /** Shows the view in the job's message (an edit); throws when Discord did not accept it. */
  deliver: (record: JobRecord & { message_id: string }, view: JobView) => Promise<void>;
  /**
   * What the message shows for a view, as a digest (no timestamps): an edit whose digest equals the
   * one Discord last accepted for the message (`JobRecord.shown`) is a no-op, and is skipped. Without
   * it every view is edited.
   */
  digest?: (record: JobRecord, view: JobView) => string;
  /** Errors that no retry can fix (a deleted message, a blocked DM): dead-lettered at once. */
  isPermanent?: (error: unknown) => boolean;
  maxAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  blockMs?: number;
  batchSize?: number;
  /** Entries read but not yet acknowledged before the reader waits (backpressure; default 20,000). */
  maxInFlight?: number;
  /** Entries idle this long in another consumer's pending list are claimed (a dead process). */
  claimIdleMs?: number;
  deadLetterStream?: string;
}

interface Entry {
  stream: string;
  id: string;
  event: PlatformEvent;
}

/** An edit to make: the message, the view it is to show, and the digest of that. */
interface Edit {
  record: JobRecord & { message_id: string };
  view: JobView;
  /** Its digest, when the consumer has a digest function. */
  shown: string | undefined;
}

type StreamReply = [stream: string, entries: [id: string, fields: string[]][]][] | null;

const defaultPermanent = (error: unknown): boolean => {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429;
};

/**
 * Delivers job events from every domain's stream through a consumer group. Entries of one job are
 * handled in stream order (several queued entries become one edit: the message shows the latest
 * state); different jobs proceed in parallel. An entry is acknowledged only after Discord accepted
 * the edit, or when there is nothing to edit: the job has no message of the bot's, or its message
 * already shows what the edit would (the same digest; repeated reports change only the time); a failed edit is retried with backoff, and after
 * `maxAttempts` (or at once for a permanent error) it goes to the dead-letter stream with the reason.
 * Redis errors are retried without limit: the entries stay pending and are redelivered after a restart.
 */
export class JobUpdateConsumer {
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly queues = new Map<string, Entry[]>();
  private readonly inFlight = new Set<string>();
  private wake: (() => void) | undefined;

  constructor(private readonly options: DeliveryOptions) {}

  /** Read through a call: close() flips the flag while the loops await. */
  private isRunning(): boolean {
    return this.running;
  }

  get deadLetterStream(): string {
    return this.options.deadLetterStream ?? `${this.options.namespace ?? ''}discord:dead-letter`;
  }

  private streams(): string[] {
    return this.options.domains.map((domain) => eventNames(domain, this.options.namespace).stream);
  }

  private async ensureGroup(stream: string, from: '$' | '0'): Promise<void> {
    try {
      await this.options.redis.xgroup('CREATE', stream, this.options.group, from, 'MKSTREAM');
    } catch (error) {
      if (!errorMessage(error).includes('BUSYGROUP')) throw error;
    }
  }

  async start(): Promise<void> {
    for (const stream of this.streams()) await this.ensureGroup(stream, '$');
    this.running = true;
    this.loop = this.read();
  }

  async close(): Promise<void> {
    this.running = false;
    this.options.blocking.disconnect(); // interrupts the blocking read
    this.wake?.();
    await this.loop;
    while (this.inFlight.size > 0) await sleep(20);
  }

  /** Resolves when nothing read is left unacknowledged (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0 || this.queues.size > 0) await sleep(10);
  }

  private async read(): Promise<void> {
    const { blocking, group, consumer, logger } = this.options;
    const streams = this.streams();
    // Pending entries of this consumer first (from a previous run), then new ones.
    const cursors = new Map(streams.map((stream) => [stream, '0']));
    let lastClaim = 0;
    while (this.running) {
      try {
        if (Date.now() - lastClaim > (this.options.claimIdleMs ?? 120_000) / 2) {
          lastClaim = Date.now();
          await this.claimAbandoned(streams);
        }
        while (this.inFlight.size >= (this.options.maxInFlight ?? 20_000) && this.isRunning()) {
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
        const reply = (await blocking.xreadgroup(
          'GROUP',
          group,
          consumer,
          'COUNT',
          this.options.batchSize ?? 500,
          'BLOCK',
          this.options.blockMs ?? 2_000,
          'STREAMS',
          ...streams,
          ...streams.map((stream) => cursors.get(stream) ?? '>'),
        )) as StreamReply;
        const returned = new Map(reply?.map(([stream, entries]) => [stream, entries]) ?? []);
        for (const stream of streams) {
          const entries = returned.get(stream) ?? [];
          if (cursors.get(stream) !== '>') {
            if (entries.length === 0) cursors.set(stream, '>');
            else cursors.set(stream, entries.at(-1)?.[0] ?? '>');
          }
          for (const [id, fields] of entries) await this.accept(stream, id, fields);
        }
      } catch (error) {
        if (!this.isRunning()) break;
        const message = errorMessage(error);
        if (message.includes('NOGROUP')) {
          // Redis came back without our group (restarted without persistence): recreate it from the start.
          logger.warn({ err: message }, 'consumer group missing, recreating it');
          // Redis may still be coming back: the next read fails again and lands here again.
          await Promise.all(streams.map((stream) => this.ensureGroup(stream, '0'))).catch(() => undefined);
          for (const stream of streams) cursors.set(stream, '0');
        } else {
          logger.warn({ err: message }, 'event stream read failed, retrying');
        }
        await sleep(500);
      }
    }
  }

  /** Takes over entries another consumer read and never acknowledged (it died). */
  private async claimAbandoned(streams: string[]): Promise<void> {
    const { redis, group, consumer } = this.options;
    for (const stream of streams) {
      const reply = (await redis.xautoclaim(stream, group, consumer, this.options.claimIdleMs ?? 120_000, '0', 'COUNT', 500)) as [
        string,
        [id: string, fields: string[] | null][],
      ];
      for (const [id, fields] of reply[1]) {
        if (fields !== null && !this.inFlight.has(`${stream}/${id}`)) await this.accept(stream, id, fields);
      }
    }
  }

  private async accept(stream: string, id: string, fields: string[]): Promise<void> {
    const key = `${stream}/${id}`;
    if (this.inFlight.has(key)) return; // already queued here (a pending re-read)
    let event: PlatformEvent;
    try {
      event = decodeEvent(fields[fields.indexOf('event') + 1] ?? '');
    } catch (error) {
      await this.deadLetter([{ stream, id, raw: fields }], `undecodable event: ${errorMessage(error)}`, 0);
      return;
    }
    this.inFlight.add(key);
    const jobKey = `${event.domain}\u0000${event.job_id}`;
    const queue = this.queues.get(jobKey);
    if (queue) {
      queue.push({ stream, id, event });
      return;
    }
    this.queues.set(jobKey, [{ stream, id, event }]);
    void this.drain(jobKey);
  }

  /** Handles one job's entries until none are queued; a single chain per job keeps their order. */
  private async drain(jobKey: string): Promise<void> {
    for (;;) {
      const queue = this.queues.get(jobKey);
      if (!queue || queue.length === 0) {
        this.queues.delete(jobKey);
        return;
      }
      const batch = queue.splice(0, queue.length);
      await this.handle(batch);
      for (const entry of batch) this.inFlight.delete(`${entry.stream}/${entry.id}`);
      this.wake?.();
    }
  }

  private async handle(batch: Entry[]): Promise<void> {
    const { logger } = this.options;
    const first = batch[0];
    if (first === undefined) return;
    const { domain, job_id: jobId } = first.event;
    const maxAttempts = this.options.maxAttempts ?? 8;
    let attempt = 0;
    let accepted: string | undefined;
    for (;;) {
      let edit: Edit | undefined;
      try {
        edit = await this.prepare(domain, jobId, batch);
      } catch (error) {
        if (!this.running) return;
        logger.warn({ domain, job_id: jobId, err: errorMessage(error) }, 'job store unavailable, retrying');
        await sleep(this.backoff(attempt));
        continue;
      }
      if (edit === undefined) break;
      try {
        await this.options.deliver(edit.record, edit.view);
        accepted = edit.shown;
        break;
      } catch (error) {
        attempt += 1;
        const permanent = (this.options.isPermanent ?? defaultPermanent)(error);
        if (permanent || attempt >= maxAttempts || !this.running) {
          if (!this.running && !permanent) return; // stays pending for the next start
          const reason = `${permanent ? 'permanent' : 'gave up'} after ${attempt} attempt(s): ${errorMessage(error)}`;
          await this.deadLetterSafely(
            batch.map((entry) => ({ stream: entry.stream, id: entry.id, event: entry.event })),
            reason,
            attempt,
          );
          return;
        }
        logger.warn({ domain, job_id: jobId, attempt, err: errorMessage(error) }, 'job update not delivered, retrying');
        await sleep(this.backoff(attempt));
      }
    }
    await this.ackSafely(batch, accepted === undefined ? undefined : { domain, jobId, shown: accepted });
  }

  /**
   * Saves the batch in the job's view and says which edit shows it; none when the job has no message of
   * ours (yet) or its message already shows exactly this.
   */
  private async prepare(domain: string, jobId: string, batch: Entry[]): Promise<Edit | undefined> {
    const { store } = this.options;
    // The view is saved before the record is read: a registration racing with this entry then
    // either sees the new view or has its message id seen here (see JobStore.register).
    const view = await store.apply(domain, jobId, batch);
    const record = await store.record(domain, jobId);
    if (record.message_id === undefined || record.channel_id === undefined) return undefined;
    const shown = this.options.digest?.(record, view);
    if (shown !== undefined && shown === record.shown) return undefined;
    if (record.shown !== undefined) await store.forgetShown(domain, jobId);
    return { record: { ...record, message_id: record.message_id }, view, shown };
  }

  private backoff(attempt: number): number {
    const base = this.options.retryBaseMs ?? 500;
    return Math.min(this.options.retryMaxMs ?? 30_000, base * 2 ** attempt) * (0.5 + Math.random() / 2);
  }

  /** Acknowledges the batch; after an edit, first records what the message now shows. */
  private async ackSafely(
    batch: { stream: string; id: string }[],
    shown?: { domain: string; jobId: string; shown: string },
  ): Promise<void> {
    for (let attempt = 0; this.running || attempt === 0; attempt++) {
      try {
        if (shown) await this.options.store.setShown(shown.domain, shown.jobId, shown.shown);
        for (const stream of new Set(batch.map((entry) => entry.stream))) {
          const ids = batch.filter((entry) => entry.stream === stream).map((entry) => entry.id);
          await this.options.redis.xack(stream, this.options.group, ...ids);
        }
        return;
      } catch (error) {
        this.options.logger.warn({ err: errorMessage(error) }, 'ack failed, retrying');
        await sleep(this.backoff(attempt));
      }
    }
  }

  private async deadLetterSafely(entries: { stream: string; id: string; event: PlatformEvent }[], reason: string, attempts: number) {
    for (let attempt = 0; this.running || attempt === 0; attempt++) {
      try {
        await this.deadLetter(
          entries.map((entry) => ({ ...entry, raw: ['event', JSON.stringify(entry.event)] })),
          reason,
          attempts,
        );
        return;
      } catch (error) {
        this.options.logger.warn({ err: errorMessage(error) }, 'dead-letter write failed, retrying');
        await sleep(this.backoff(attempt));
      }
    }
  }

  /** Appends each entry with the reason to the dead-letter stream and acknowledges it, in one MULTI. */
  private async deadLetter(entries: { stream: string; id: string; raw: string[] }[], reason: string, attempts: number) {
    const multi = this.options.redis.multi();
    for (const entry of entries) {
      const event = entry.raw[entry.raw.indexOf('event') + 1] ?? '';
      multi.xadd(
        this.deadLetterStream,
        'MAXLEN',
        '~',
        '10000',
        '*',
        'stream',
        entry.stream,
        'id',
        entry.id,
        'event',
        event,
        'reason',
        reason,
        'attempts',
        String(attempts),
        'group',
        this.options.group,
        'at',
        new Date().toISOString(),
      );
      multi.xack(entry.stream, this.options.group, entry.id);
    }
    const results = await multi.exec();
    const failure = results?.find(([error]) => error !== null)?.[0];
    if (failure) throw failure;
    this.options.logger.error({ count: entries.length, reason, stream: this.deadLetterStream }, 'job updates dead-lettered');
  }
}
