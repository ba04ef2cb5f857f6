import { AppError } from '@platform/core';
import type { ArtifactCache, ModelRegistry } from '@platform/ml';
import { LanguageModel } from './language-model.js';

/**
 * The runs' exported models, loaded on first use from the registry (artifact from data-bank, unpacked
 * into the local cache) and kept in memory, least recently used first out past `maxLoaded`.
 */
export class ModelServer {
  private readonly loaded = new Map<string, Promise<LanguageModel>>();

  constructor(
    private readonly registry: ModelRegistry,
    private readonly cache: ArtifactCache,
    private readonly options: { threads: number; maxLoaded: number },
  ) {}

  async get(runId: string): Promise<LanguageModel> {
    let loading = this.loaded.get(runId);
    if (loading) {
      this.loaded.delete(runId);
      this.loaded.set(runId, loading);
      return loading;
    }
    loading = this.open(runId);
    this.loaded.set(runId, loading);
    // The caller gets the rejection; the cache only forgets it so that the next request tries again.
    loading.catch(() => this.loaded.delete(runId));
    while (this.loaded.size > this.options.maxLoaded) {
      const [oldest, evicted] = this.loaded.entries().next().value ?? [];
      if (oldest === undefined || !evicted) break;
      this.loaded.delete(oldest);
      void evicted.then(
        (model) => model.release(),
        () => undefined,
      );
    }
    return loading;
  }

  private async open(runId: string): Promise<LanguageModel> {
    const entry = await this.registry.get(runId);
    if (!entry) throw new AppError('NOT_FOUND', `Run ${runId} has no exported model`);
    return LanguageModel.open(await this.cache.dirOf(entry.file_id), entry.manifest, this.options.threads);
  }

  async close(): Promise<void> {
    const models = [...this.loaded.values()];
    this.loaded.clear();
    await Promise.all(
      models.map((loading) =>
        loading.then(
          (model) => model.release(),
          () => undefined,
        ),
      ),
    );
  }
}
