import { AppError, invalidInput, notFound, quoted } from '@platform/core';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { ArtifactManifest } from './artifact/manifest.js';

const StoredModel = z.object({
  manifest: ArtifactManifest,
  file_id: z.string(),
  registered_at: z.string(),
});

export interface RegisteredModel extends z.infer<typeof StoredModel> {
  id: string;
  active: boolean;
}

export interface ModelRegistryOptions {
  /** The model kind this registry holds (`manifest.kind`); each kind has its own keys and active model. */
  kind: string;
  /** Key prefix (default `ml:models`): keys are `<prefix>:<kind>:entries` (hash) and `<prefix>:<kind>:active`. */
  prefix?: string;
}

// Both scripts run atomically, so an activation and a removal of the same id cannot interleave.
const ACTIVATE = `if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('SET', KEYS[2], ARGV[1]) return 1`;
const REMOVE = `if redis.call('GET', KEYS[2]) == ARGV[1] then return -1 end
return redis.call('HDEL', KEYS[1], ARGV[1])`;
const REGISTER = `local existing = redis.call('HGET', KEYS[1], ARGV[1])
if existing then return existing end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) return false`;

/** Trained models of one kind in Redis: id → manifest and data-bank file id, plus which one is active. */
export class ModelRegistry {
  readonly kind: string;
  private readonly entriesKey: string;
  private readonly activeKey: string;

  constructor(
    private readonly redis: Redis,
    options: ModelRegistryOptions,
  ) {
    this.kind = options.kind;
    const base = `${options.prefix ?? 'ml:models'}:${options.kind}`;
    this.entriesKey = `${base}:entries`;
    this.activeKey = `${base}:active`;
  }

  private entry(id: string, raw: string, activeId: string | null): RegisteredModel {
    return { id, ...StoredModel.parse(JSON.parse(raw)), active: id === activeId };
  }

  /**
   * Records a model. Registering the same id with the same file again is a no-op answering the first
   * entry; the same id with another file is a CONFLICT.
   */
  async register(model: { manifest: ArtifactManifest; file_id: string }): Promise<RegisteredModel> {
    const manifest = ArtifactManifest.parse(model.manifest);
    if (manifest.kind !== this.kind)
      throw invalidInput(`a ${quoted(manifest.kind)} model cannot go into the ${quoted(this.kind)} registry`);
    const stored = JSON.stringify({
      manifest,
      file_id: model.file_id,
      registered_at: new Date().toISOString(),
    });
    const existing = (await this.redis.eval(REGISTER, 1, this.entriesKey, manifest.id, stored)) as string | null;
    const entry = this.entry(manifest.id, existing ?? stored, await this.redis.get(this.activeKey));
    if (existing && entry.file_id !== model.file_id)
      throw new AppError('CONFLICT', `model ${quoted(manifest.id)} is already registered with another file`);
    return entry;
  }

  /** Every model of the kind, newest first. */
  async list(): Promise<RegisteredModel[]> {
    const [all, activeId] = await Promise.all([this.redis.hgetall(this.entriesKey), this.redis.get(this.activeKey)]);
    return Object.entries(all)
      .map(([id, raw]) => this.entry(id, raw, activeId))
      .sort((a, b) => b.registered_at.localeCompare(a.registered_at) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<RegisteredModel | undefined> {
    const [raw, activeId] = await Promise.all([this.redis.hget(this.entriesKey, id), this.redis.get(this.activeKey)]);
    return raw === null ? undefined : this.entry(id, raw, activeId);
  }

  /** Makes `id` the active model of the kind (NOT_FOUND when it is not registered). */
  async activate(id: string): Promise<RegisteredModel> {
    if ((await this.redis.eval(ACTIVATE, 2, this.entriesKey, this.activeKey, id)) === 0) throw notFound(`no model ${quoted(id)}`);
    const entry = await this.get(id);
    if (!entry) throw notFound(`no model ${quoted(id)}`);
    return entry;
  }

  async active(): Promise<RegisteredModel | undefined> {
    const activeId = await this.redis.get(this.activeKey);
    return activeId === null ? undefined : this.get(activeId);
  }

  /** Forgets a model (not its data-bank file); the active one is refused with CONFLICT. */
  async remove(id: string): Promise<void> {
    const removed = await this.redis.eval(REMOVE, 2, this.entriesKey, this.activeKey, id);
    if (removed === -1) throw new AppError('CONFLICT', `model ${quoted(id)} is the active one: activate another first`);
    if (removed === 0) throw notFound(`no model ${quoted(id)}`);
  }
}
