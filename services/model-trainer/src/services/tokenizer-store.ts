import { AppError, type DataBankClient } from '@platform/core';
import type { Redis } from 'ioredis';
import { TokenizerView, type TokenizerRequest } from '../models/tokenizer.js';
import { buildGpt2Tokenizer } from './tokenizers/gpt2.js';
import { loadTokenizer } from './tokenizers/load.js';
import type { Tokenizer } from './tokenizers/tokenizer.js';

const GPT2_TOKENIZER_ID = 'gpt2';
const BUILT_AT = new Date(0).toISOString();

/** Tokenizer records in Redis, tokenizer.json files in data-bank; `gpt2` is built in (from gpt-tokenizer). */
export class TokenizerStore {
  private readonly loaded = new Map<string, Promise<Tokenizer>>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly dataBank: DataBankClient,
  ) {}

  private key = (id: string) => `${this.prefix}:tokenizers:${id}`;

  private async save(view: TokenizerView): Promise<void> {
    await this.redis
      .multi()
      .set(this.key(view.tokenizer_id), JSON.stringify(view))
      .zadd(`${this.prefix}:tokenizers`, Date.now(), view.tokenizer_id)
      .exec();
  }

  /** Creates the record unless it exists (the API after enqueueing and the job on start both call it). */
  async ensure(id: string, request: Pick<TokenizerRequest, 'kind' | 'special_tokens'>): Promise<void> {
    const now = new Date().toISOString();
    const view: TokenizerView = {
      tokenizer_id: id,
      kind: request.kind,
      status: 'queued',
      vocab_size: null,
      special_tokens: request.special_tokens,
      file_id: null,
      stats: null,
      builtin: false,
      created_at: now,
      updated_at: now,
      error: null,
    };
    if ((await this.redis.set(this.key(id), JSON.stringify(view), 'NX')) === 'OK')
      await this.redis.zadd(`${this.prefix}:tokenizers`, Date.now(), id);
  }

  async update(id: string, changes: Partial<TokenizerView>): Promise<void> {
    const view = await this.get(id);
    if (view && !view.builtin) await this.save({ ...view, ...changes, updated_at: new Date().toISOString() });
  }

  async get(id: string): Promise<TokenizerView | undefined> {
    if (id === GPT2_TOKENIZER_ID) {
      return {
        tokenizer_id: id,
        kind: 'bpe',
        status: 'completed',
        vocab_size: 50_257,
        special_tokens: ['<|endoftext|>'],
        file_id: null,
        stats: { source: 'gpt-tokenizer r50k_base' },
        builtin: true,
        created_at: BUILT_AT,
        updated_at: BUILT_AT,
        error: null,
      };
    }
    const raw = await this.redis.get(this.key(id));
    return raw === null ? undefined : TokenizerView.parse(JSON.parse(raw));
  }

  async list(limit = 100): Promise<TokenizerView[]> {
    const ids = await this.redis.zrevrange(`${this.prefix}:tokenizers`, 0, limit - 1);
    const views = await Promise.all([GPT2_TOKENIZER_ID, ...ids].map((id) => this.get(id)));
    return views.filter((view): view is TokenizerView => view !== undefined);
  }

  /** The tokenizer itself (downloaded and parsed once per process). */
  async load(id: string): Promise<Tokenizer> {
    const view = await this.get(id);
    if (!view) throw new AppError('NOT_FOUND', `No tokenizer ${id}`);
    if (view.status !== 'completed') throw new AppError('CONFLICT', `Tokenizer ${id} is ${view.status}, not completed`);
    let loading = this.loaded.get(id);
    if (!loading) {
      loading = view.builtin ? buildGpt2Tokenizer() : this.download(view.file_id ?? '');
      this.loaded.set(id, loading);
      // The caller gets the rejection; the cache only forgets it so that the next call tries again.
      loading.catch(() => this.loaded.delete(id));
    }
    return loading;
  }

  private async download(fileId: string): Promise<Tokenizer> {
    const stream = await this.dataBank.stream(fileId);
    const text = await new Response(stream).text();
    return loadTokenizer(JSON.parse(text));
  }
}
