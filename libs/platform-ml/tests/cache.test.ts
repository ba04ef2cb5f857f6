import { deleteKeys, uniqueName } from '@platform/testing';
import { closeRedis, createRedis } from '@platform/workers';
import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactCache, ModelRegistry } from '../src/index.js';
import { manifestFields, tempDir } from './helpers.js';

let bank: DataBankProcess;
let dir: Awaited<ReturnType<typeof tempDir>>;
const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', 'command');
const prefix = uniqueName('ml-cache');

beforeAll(async () => {
  [bank, dir] = await Promise.all([startDataBankProcess(), tempDir('cache')]);
});
afterAll(async () => {
  await deleteKeys(redis, `${prefix}:*`);
  await closeRedis(redis);
  await Promise.all([bank.stop(), dir.remove()]);
});

describe('ArtifactCache', () => {
  it('publishes (manifest, pack, upload, register) and brings the artifact back once per machine', async () => {
    const source = join(dir.path, 'model-a');
    await mkdir(source);
    await writeFile(join(source, 'model.onnx'), 'graph bytes');
    const registry = new ModelRegistry(redis, { kind: 'digits', prefix });
    const entry = await new ArtifactCache(bank.client, join(dir.path, 'publisher')).publish(source, manifestFields('model-a'), registry);
    expect(await registry.get('model-a')).toMatchObject({ file_id: entry.file_id });

    const cache = new ArtifactCache(bank.client, join(dir.path, 'cache'));
    const [first, second] = await Promise.all([cache.dirOf(entry.file_id), cache.dirOf(entry.file_id)]);
    expect(second).toBe(first);
    expect(await readFile(join(first, 'model.onnx'), 'utf8')).toBe('graph bytes');
    expect((await readdir(join(dir.path, 'cache'))).filter((name) => name.startsWith('.work-'))).toEqual([]);
  });
});
