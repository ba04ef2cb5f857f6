import { AppError } from '@platform/core';
import { InferenceSession } from 'onnxruntime-node';
import type { ArtifactManifest } from './artifact/manifest.js';

export interface OnnxModelSlotOptions {
  /** Threads of one inference (default 1: serving scales by processes, and a busy core slows threads). */
  intraOpNumThreads?: number;
  sessionOptions?: InferenceSession.SessionOptions;
}

export interface LoadedModel {
  session: InferenceSession;
  manifest: ArtifactManifest;
}

/** A loaded model with its count of runs in flight; a retired one is released once they finish. */
interface Holder extends LoadedModel {
  inFlight: number;
  retired: boolean;
}

async function releaseWhenIdle(holder: Holder): Promise<void> {
  holder.retired = true;
  if (holder.inFlight === 0) await holder.session.release();
}

/**
 * The serving model of a service. `load` builds a complete InferenceSession first and only then swaps
 * it in, so a run never sees a half-loaded model and a failed load keeps the previous one; the old
 * session is released after its in-flight runs finish. Loads run one at a time, in call order.
 */
export class OnnxModelSlot {
  private holder: Holder | undefined;
  private loading: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: OnnxModelSlotOptions = {}) {}

  load(model: string | Uint8Array, manifest: ArtifactManifest): Promise<LoadedModel> {
    const next = this.loading.then(() => this.swapIn(model, manifest));
    // The caller gets the failure through `next`; the queue of loads only waits for it to settle.
    this.loading = next.catch(() => undefined);
    return next;
  }

  private async swapIn(model: string | Uint8Array, manifest: ArtifactManifest): Promise<LoadedModel> {
    const sessionOptions: InferenceSession.SessionOptions = {
      intraOpNumThreads: this.options.intraOpNumThreads ?? 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      ...this.options.sessionOptions,
    };
    const session =
      typeof model === 'string'
        ? await InferenceSession.create(model, sessionOptions)
        : await InferenceSession.create(model, sessionOptions);
    const previous = this.holder;
    this.holder = { session, manifest, inFlight: 0, retired: false };
    if (previous) await releaseWhenIdle(previous);
    return { session, manifest };
  }

  current(): LoadedModel | undefined {
    return this.holder && { session: this.holder.session, manifest: this.holder.manifest };
  }

  /** Runs the current model; SERVICE_UNAVAILABLE when none is loaded. */
  async run(
    feeds: InferenceSession.FeedsType,
    runOptions?: InferenceSession.RunOptions,
  ): Promise<InferenceSession.ReturnType & { manifest: ArtifactManifest }> {
    const holder = this.holder;
    if (!holder) throw new AppError('SERVICE_UNAVAILABLE', 'no model is loaded');
    holder.inFlight += 1;
    try {
      const outputs = await holder.session.run(feeds, runOptions);
      return Object.assign(outputs, { manifest: holder.manifest });
    } finally {
      holder.inFlight -= 1;
      if (holder.retired && holder.inFlight === 0) await holder.session.release();
    }
  }

  /** Unloads the model (after its in-flight runs); `run` then answers SERVICE_UNAVAILABLE. */
  async release(): Promise<void> {
    const holder = this.holder;
    this.holder = undefined;
    if (holder) await releaseWhenIdle(holder);
  }
}
