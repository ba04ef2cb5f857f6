import type { PlatformEvent } from '@platform/core';
import type { Redis } from 'ioredis';
import { applyEvent, JobView, newJobView } from './job-view.js';

/** Where a job's updates go and the message that shows them. */
export interface JobRecord {
  domain: string;
  job_id: string;
  channel_id?: string;
  message_id?: string;
  title?: string;
  user_id?: string;
  /** The digest of what the message shows, recorded once Discord accepted it (unset: unknown). */
  shown?: string;
}

const RECORD_FIELDS = ['channel_id', 'message_id', 'title', 'user_id', 'shown'] as const;

/**
 * One Redis hash per job: the target channel, the message id once posted, the digest of what the
 * message shows, and the view (the events applied so far). The view is kept even for a job not (yet) registered, so a job whose first events
 * beat its registration still shows them.
 */
export class JobStore {
  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix?: string; ttlS?: number; unregisteredTtlS?: number } = {},
  ) {}

  key(domain: string, jobId: string): string {
    return `${this.options.prefix ?? 'discord:job:'}${domain}:${jobId}`;
  }

  private get ttlS(): number {
    return this.options.ttlS ?? 30 * 24 * 3600;
  }

  async record(domain: string, jobId: string): Promise<JobRecord> {
    const values = await this.redis.hmget(this.key(domain, jobId), ...RECORD_FIELDS);
    const record: JobRecord = { domain, job_id: jobId };
    RECORD_FIELDS.forEach((field, index) => {
      const value = values[index];
      if (value !== null && value !== undefined) record[field] = value;
    });
    return record;
  }

  async view(domain: string, jobId: string): Promise<JobView> {
    const raw = await this.redis.hget(this.key(domain, jobId), 'view');
    return raw === null ? newJobView(domain, jobId) : JobView.parse(JSON.parse(raw));
  }

  /** Applies the entries (in stream order) to the stored view and saves it. */
  async apply(domain: string, jobId: string, entries: { id: string; event: PlatformEvent }[]): Promise<JobView> {
    let view = await this.view(domain, jobId);
    for (const entry of entries) view = applyEvent(view, entry.event, entry.id);
    const key = this.key(domain, jobId);
    // NX: a registered job keeps its 30 days; the view of a job nobody registered lives an hour.
    await this.redis
      .multi()
      .hset(key, 'view', JSON.stringify(view))
      .expire(key, this.options.unregisteredTtlS ?? 3600, 'NX')
      .exec();
    return view;
  }

  /** Records where the job's message goes (before it is posted). */
  async register(record: JobRecord & { channel_id: string; title: string }): Promise<void> {
    const key = this.key(record.domain, record.job_id);
    const fields: Record<string, string> = { channel_id: record.channel_id, title: record.title };
    if (record.user_id !== undefined) fields['user_id'] = record.user_id;
    await this.redis.multi().hset(key, fields).expire(key, this.ttlS).exec();
  }

  /** The posted message's id and the digest of what it shows (unknown: the first edit always goes). */
  async setMessage(domain: string, jobId: string, messageId: string, shown?: string): Promise<void> {
    const key = this.key(domain, jobId);
    if (shown === undefined) await this.redis.multi().hset(key, 'message_id', messageId).hdel(key, 'shown').exec();
    else await this.redis.hset(key, { message_id: messageId, shown });
  }

  /** After Discord accepted an edit: the message shows what this digest describes. */
  async setShown(domain: string, jobId: string, shown: string): Promise<void> {
    await this.redis.hset(this.key(domain, jobId), 'shown', shown);
  }

  /** Before an edit: until Discord accepts it, what the message shows is unknown (a failed edit may have landed). */
  async forgetShown(domain: string, jobId: string): Promise<void> {
    await this.redis.hdel(this.key(domain, jobId), 'shown');
  }
}
