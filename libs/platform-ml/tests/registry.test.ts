import { deleteKeys, uniqueName } from '@platform/testing';
import { AppError } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ArtifactManifest, ModelRegistry } from '../src/index.js';
import { manifestFields } from './helpers.js';

const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0', 'command');
const prefix = uniqueName('ml');
const fileId = (char: string) => char.repeat(64);
const manifest = (id: string, kind = 'digits') => ArtifactManifest.parse({ ...manifestFields(id, kind), files: [] });

afterEach(async () => {
  await deleteKeys(redis, `${prefix}:*`);
});
afterAll(async () => {
  await closeRedis(redis);
});

const appErrorCode = async (work: Promise<unknown>) => ((await work.catch((error: unknown) => error)) as AppError).code;

describe('ModelRegistry', () => {
  it('registers, lists newest first, activates, swaps and removes', async () => {
    const registry = new ModelRegistry(redis, { kind: 'digits', prefix });
    expect(await registry.active()).toBeUndefined();
    const first = await registry.register({ manifest: manifest('m1'), file_id: fileId('a') });
    expect(first).toMatchObject({ id: 'm1', file_id: fileId('a'), active: false });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await registry.register({ manifest: manifest('m2'), file_id: fileId('b') });
    expect((await registry.list()).map((entry) => entry.id)).toEqual(['m2', 'm1']);

    expect(await registry.activate('m1')).toMatchObject({ id: 'm1', active: true });
    expect(await registry.active()).toMatchObject({ id: 'm1', manifest: { id: 'm1' } });
    await registry.activate('m2');
    expect((await registry.list()).map((entry) => [entry.id, entry.active])).toEqual([
      ['m2', true],
      ['m1', false],
    ]);

    expect(await appErrorCode(registry.remove('m2'))).toBe('CONFLICT');
    await registry.remove('m1');
    expect(await registry.get('m1')).toBeUndefined();
    expect(await appErrorCode(registry.remove('m1'))).toBe('NOT_FOUND');
    expect(await appErrorCode(registry.activate('m1'))).toBe('NOT_FOUND');
  });

  it('re-registering is idempotent for the same file and a CONFLICT for another', async () => {
    const registry = new ModelRegistry(redis, { kind: 'digits', prefix });
    const first = await registry.register({ manifest: manifest('m1'), file_id: fileId('a') });
    expect(await registry.register({ manifest: manifest('m1'), file_id: fileId('a') })).toEqual(first);
    expect(await appErrorCode(registry.register({ manifest: manifest('m1'), file_id: fileId('c') }))).toBe('CONFLICT');
  });

  it('keeps kinds apart and refuses a manifest of another kind', async () => {
    const digits = new ModelRegistry(redis, { kind: 'digits', prefix });
    const letters = new ModelRegistry(redis, { kind: 'letters', prefix });
    await digits.register({ manifest: manifest('m1'), file_id: fileId('a') });
    await digits.activate('m1');
    expect(await letters.list()).toEqual([]);
    expect(await letters.active()).toBeUndefined();
    expect(await appErrorCode(letters.register({ manifest: manifest('m2'), file_id: fileId('b') }))).toBe('INVALID_INPUT');
  });
});
