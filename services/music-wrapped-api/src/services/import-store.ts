import { withRedisDeadline, type RedisConnection } from '@platform/workers';
import { randomBytes } from 'node:crypto';
import { ImportRecord } from '../models/wrapped.js';

const TTL_SECONDS = 30 * 24 * 60 * 60;

/** Import records (who uploaded which export, where it lives in data-bank), kept 30 days. */
export class ImportStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix = 'music:import:',
  ) {}

  /** Saves a new record under a fresh id; 503 when Redis does not answer in time. */
  async create(fields: Omit<ImportRecord, 'import_id' | 'created_at'>): Promise<ImportRecord> {
    const record: ImportRecord = {
      import_id: `imp_${randomBytes(16).toString('hex')}`,
      ...fields,
      created_at: new Date().toISOString(),
    };
    await withRedisDeadline(() => this.redis.set(this.prefix + record.import_id, JSON.stringify(record), 'EX', TTL_SECONDS));
    return record;
  }

  /** The record when it exists and belongs to the user; another user's import reads as missing. */
  async get(importId: string, userId: string): Promise<ImportRecord | undefined> {
    const raw = await withRedisDeadline(() => this.redis.get(this.prefix + importId));
    if (raw === null) return undefined;
    const record = ImportRecord.parse(JSON.parse(raw));
    return record.user_id === userId ? record : undefined;
  }
}
