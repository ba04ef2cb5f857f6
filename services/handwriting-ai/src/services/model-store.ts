import { AppError, notFound } from '@platform/core';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** The part of the kernel's config.json the service reads. */
const ModelConfig = z.object({
  architecture: z.string(),
  temperature: z.number().positive(),
  metrics: z.record(z.string(), z.unknown()).default({}),
  onnx_opset: z.number().int().optional(),
});

export interface StoredModel {
  id: string;
  dir: string;
  /** Shipped models are read-only. */
  shipped: boolean;
  architecture: string;
  temperature: number;
  metrics: Record<string, unknown>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Models as folders (model.onnx + config.json): the writable store, then the shipped, read-only ones. */
export class ModelStore {
  constructor(
    private readonly writableDir: string,
    private readonly shippedDir: string,
  ) {}

  async list(): Promise<StoredModel[]> {
    const found = await Promise.all([this.scan(this.writableDir, false), this.scan(this.shippedDir, true)]);
    return found.flat();
  }

  async get(id: string): Promise<StoredModel> {
    if (!ID.test(id)) throw new AppError('INVALID_INPUT', 'A model id is letters, digits, dot, dash and underscore');
    const model = (await this.list()).find((candidate) => candidate.id === id);
    if (!model) throw notFound(`No model ${id}`);
    return model;
  }

  async remove(id: string): Promise<void> {
    const model = await this.get(id);
    if (model.shipped) throw new AppError('CONFLICT', `${id} ships with the service and cannot be deleted`);
    await rm(model.dir, { recursive: true, force: true });
  }

  private async scan(root: string, shipped: boolean): Promise<StoredModel[]> {
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const models = await Promise.all(
      entries.filter((entry) => entry.isDirectory() && ID.test(entry.name)).map((entry) => this.read(join(root, entry.name), entry.name, shipped)),
    );
    return models.filter((model): model is StoredModel => model !== null);
  }

  /** A folder with an unreadable config is listed by nobody (it cannot be served either). */
  private async read(dir: string, id: string, shipped: boolean): Promise<StoredModel | null> {
    try {
      const config = ModelConfig.parse(JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')));
      return { id, dir, shipped, architecture: config.architecture, temperature: config.temperature, metrics: config.metrics };
    } catch {
      return null;
    }
  }
}
