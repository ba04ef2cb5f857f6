import { AppError } from '@platform/core';
import { join } from 'node:path';
import { DigitModel } from './digit-model.js';
import type { StoredModel } from './model-store.js';

interface Loaded {
  info: StoredModel;
  model: DigitModel;
  inFlight: number;
  retired: boolean;
}

/**
 * The model being served. Activation loads and checks the new model first and swaps only then, so a
 * request never sees a half-loaded model; the old session is released once its last request is done.
 */
export class ModelSlot {
  private current: Loaded | undefined;
  /** Why the last activation failed, for /readyz while nothing is served. */
  private failure: string | undefined = 'no model';

  constructor(private readonly threads = 1) {}

  get active(): StoredModel | undefined {
    return this.current?.info;
  }

  /** Throws (for /readyz) when nothing is being served. */
  ready(): Promise<void> {
    return this.current ? Promise.resolve() : Promise.reject(new Error(this.failure ?? 'no model'));
  }

  async activate(info: StoredModel): Promise<void> {
    let model: DigitModel;
    try {
      model = await DigitModel.load(join(info.dir, 'model.onnx'), info.temperature, this.threads);
    } catch (error) {
      if (!this.current) this.failure = `no model: ${info.id} could not be loaded (${(error as Error).message.slice(0, 200)})`;
      throw new AppError('INVALID_INPUT', `Model ${info.id} could not be loaded; the served model is unchanged`, { cause: error });
    }
    const previous = this.current;
    this.current = { info, model, inFlight: 0, retired: false };
    if (previous) await this.retire(previous);
  }

  /** Runs `task` on the served model, which stays loaded until it is done. */
  async use<T>(task: (model: DigitModel, info: StoredModel) => Promise<T>): Promise<T> {
    const loaded = this.current;
    if (!loaded) throw new AppError('SERVICE_UNAVAILABLE', 'No model is loaded');
    loaded.inFlight += 1;
    try {
      return await task(loaded.model, loaded.info);
    } finally {
      loaded.inFlight -= 1;
      if (loaded.retired && loaded.inFlight === 0) await loaded.model.release();
    }
  }

  async close(): Promise<void> {
    if (this.current) await this.retire(this.current);
    this.current = undefined;
  }

  private async retire(loaded: Loaded): Promise<void> {
    loaded.retired = true;
    if (loaded.inFlight === 0) await loaded.model.release();
  }
}
