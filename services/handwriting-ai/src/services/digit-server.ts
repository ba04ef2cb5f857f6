import { AppError, errorMessage } from '@platform/core';
import { OnnxModelSlot, type ArtifactManifest, type RegisteredModel } from '@platform/ml';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { readDigitConfig } from './digit-config.js';
import { checkDigitModel, digitFeeds, logitsOf, softmax } from './digit-model.js';
import type { ModelFiles } from './model-files.js';

const Temperature = z.object({ temperature: z.number().positive() });

/**
 * An unpacked digits model folder, run once (checkDigitModel), with its temperature in the manifest:
 * what a slot may serve. Fails on a corrupt graph or config.
 */
export async function checkedModel(dir: string, manifest: ArtifactManifest): Promise<{ onnx: Uint8Array; manifest: ArtifactManifest }> {
  const { temperature } = await readDigitConfig(dir);
  const served = { ...manifest, extra: { ...manifest.extra, temperature } };
  const onnx = await readFile(join(dir, 'model.onnx'));
  await checkDigitModel(onnx, served);
  return { onnx, manifest: served };
}

/**
 * The digits model this process serves, in @platform/ml's OnnxModelSlot. The temperature travels in
 * the slot's manifest, so a swap changes graph and calibration together.
 */
export class DigitServer {
  private readonly slot: OnnxModelSlot;
  /** Why nothing is served, for /readyz. */
  private failure = 'no model';

  constructor(
    private readonly files: ModelFiles,
    threads = 1,
  ) {
    this.slot = new OnnxModelSlot({ intraOpNumThreads: threads });
  }

  /** The served model's manifest (with `extra.temperature`). */
  get active(): ArtifactManifest | undefined {
    return this.slot.current()?.manifest;
  }

  ready(): Promise<void> {
    return this.slot.current() ? Promise.resolve() : Promise.reject(new Error(this.failure));
  }

  /** Fetches, verifies and checks the model, then swaps it in; on failure the served model is unchanged (400). */
  async load(entry: RegisteredModel): Promise<void> {
    try {
      const { onnx, manifest } = await checkedModel(await this.files.dirOf(entry.file_id), entry.manifest);
      await this.slot.load(onnx, manifest);
    } catch (error) {
      if (!this.slot.current()) this.failure = `no model: ${entry.id} could not be loaded (${errorMessage(error).slice(0, 200)})`;
      throw new AppError('INVALID_INPUT', `Model ${entry.id} could not be loaded; the served model is unchanged`, { cause: error });
    }
  }

  /** Calibrated probabilities (10 per image) and the id of the model that answered. */
  async probabilities(inputs: Float32Array, count: number): Promise<{ probabilities: Float32Array; modelId: string }> {
    const outputs = await this.slot.run(digitFeeds(inputs, count));
    const { temperature } = Temperature.parse(outputs.manifest.extra);
    return { probabilities: softmax(logitsOf(outputs, count), temperature), modelId: outputs.manifest.id };
  }

  close(): Promise<void> {
    return this.slot.release();
  }
}
