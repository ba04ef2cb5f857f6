import { AppError } from '@platform/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { RunMetrics, RunRequest, RunStatus } from '../models/run.js';

/** A curve point or a log line: a JSON object. */
const JsonObject = z.record(z.string(), z.unknown());

/** A run as stored in Redis (validated when read back). */
export const RunRecord = z.object({
  run_id: z.string(),
  /** The training job (null for the shipped model, which no job trained here). */
  job_id: z.string().nullable(),
  user_id: z.string(),
  status: RunStatus,
  progress: z.number(),
  family: RunRequest.shape.family,
  size: z.string(),
  public: z.boolean(),
  tokenizer_id: z.string().nullable(),
  /** What the run was queued with (null for the shipped model; earlier versions stored a placeholder there). */
  request: RunRequest.nullable().catch(null),
  metrics: RunMetrics,
  corpus: JsonObject.nullable(),
  /** The packed model in data-bank (manifest id and file id) once training completed. */
  artifact: z.object({ model_id: z.string(), file_id: z.string() }).nullable(),
  /** Where last.pt lives on the workers' shared runs volume (resume_from reads it). */
  checkpoint: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  error: z.object({ kind: z.enum(['user', 'system']), message: z.string() }).nullable(),
});
export type RunRecord = z.output<typeof RunRecord>;

export const EMPTY_METRICS: RunMetrics = { step: null, train_loss: null, val_loss: null, best_val_loss: null, tokens_per_s: null };
function newRunRecord(runId: string, request: RunRequest): RunRecord {
  const now = new Date().toISOString();
  return {
    run_id: runId,
    job_id: runId,
    user_id: request.user_id,
    status: 'queued',
    progress: 0,
    family: request.family,
    size: request.size,
    public: request.public,
    tokenizer_id: request.tokenizer_id ?? null,
    request,
    metrics: EMPTY_METRICS,
    corpus: null,
    artifact: null,
    checkpoint: null,
    created_at: now,
    updated_at: now,
    error: null,
  };
}

const LOG_LIMIT = 2000;
const CURVE_LIMIT = 100_000;

/**
 * Runs in Redis: the record (one JSON value, rewritten whole), the loss curve (a list of step and
 * eval points) and the kernel's logs (a capped list). Job state itself stays in BullMQ.
 */
export class RunStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (id: string, part = '') => `${this.prefix}:runs:${id}${part}`;

  /** Creates the record unless it exists (the API after enqueueing and the worker on start both call it). */
  async ensure(runId: string, request: RunRequest): Promise<void> {
    const record = newRunRecord(runId, request);
    const created = await this.redis.set(this.key(runId), JSON.stringify(record), 'NX');
    if (created === 'OK') await this.redis.zadd(`${this.prefix}:runs`, Date.now(), runId);
  }

  /** Writes a whole record (the shipped model's). */
  async put(record: RunRecord): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(record.run_id), JSON.stringify(record))
      .zadd(`${this.prefix}:runs`, Date.now(), record.run_id)
      .exec();
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const raw = await this.redis.get(this.key(id));
    return raw === null ? undefined : RunRecord.parse(JSON.parse(raw));
  }

  /** Merges `changes` into the record (a missing record is left alone: the run was removed). */
  async update(id: string, changes: Partial<RunRecord> | ((record: RunRecord) => Partial<RunRecord>)): Promise<RunRecord | undefined> {
    const record = await this.get(id);
    if (!record) return undefined;
    const next = { ...record, ...(typeof changes === 'function' ? changes(record) : changes), updated_at: new Date().toISOString() };
    await this.redis.set(this.key(id), JSON.stringify(next));
    return next;
  }

  async list(limit = 100): Promise<RunRecord[]> {
    const ids = await this.redis.zrevrange(`${this.prefix}:runs`, 0, limit - 1);
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  async appendCurve(id: string, point: Record<string, unknown>): Promise<void> {
    await this.redis.multi().rpush(this.key(id, ':curve'), JSON.stringify(point)).ltrim(this.key(id, ':curve'), -CURVE_LIMIT, -1).exec();
  }

  async curve(id: string): Promise<Record<string, unknown>[]> {
    return (await this.redis.lrange(this.key(id, ':curve'), 0, -1)).map((line) => JsonObject.parse(JSON.parse(line)));
  }

  async appendLog(id: string, line: Record<string, unknown>): Promise<void> {
    await this.redis.multi().rpush(this.key(id, ':logs'), JSON.stringify(line)).ltrim(this.key(id, ':logs'), -LOG_LIMIT, -1).exec();
  }

  async logs(id: string): Promise<Record<string, unknown>[]> {
    return (await this.redis.lrange(this.key(id, ':logs'), 0, -1)).map((line) => JsonObject.parse(JSON.parse(line)));
  }
}

/** The run's record; 404 when there is none. */
export async function findRun(store: RunStore, id: string): Promise<RunRecord> {
  const record = await store.get(id);
  if (!record) throw new AppError('NOT_FOUND', `No run ${id}`);
  return record;
}
