import { readFile } from 'node:fs/promises';
import { Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { ArtifactManifest, OnnxModelSlot } from '../src/index.js';
import { manifestFields } from './helpers.js';

// tiny-a answers 1 + sum(x) in each of its 3 outputs, tiny-b 2 + sum(x) (fixtures/make_tiny_onnx.py).
const MODEL_A = new URL('fixtures/tiny-a.onnx', import.meta.url).pathname;
const MODEL_B = new URL('fixtures/tiny-b.onnx', import.meta.url).pathname;
const manifest = (id: string) => ArtifactManifest.parse({ ...manifestFields(id), files: [] });
const input = () => ({ x: new Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 4]) });

async function bias(slot: OnnxModelSlot): Promise<{ bias: number; id: string }> {
  const outputs = await slot.run(input());
  return { bias: ((outputs.y?.data as Float32Array)[0] ?? Number.NaN) - 10, id: outputs.manifest.id };
}

describe('OnnxModelSlot', () => {
  it('serves nothing until loaded, then the loaded model from a path or a buffer', async () => {
    const slot = new OnnxModelSlot();
    expect(slot.current()).toBeUndefined();
    await expect(slot.run(input())).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    await slot.load(MODEL_A, manifest('a'));
    expect(await bias(slot)).toEqual({ bias: 1, id: 'a' });
    await slot.load(await readFile(MODEL_B), manifest('b'));
    expect(slot.current()?.manifest.id).toBe('b');
    expect(await bias(slot)).toEqual({ bias: 2, id: 'b' });
    await slot.release();
    await expect(slot.run(input())).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
  });

  it('keeps the old model when a load fails', async () => {
    const slot = new OnnxModelSlot();
    await slot.load(MODEL_A, manifest('a'));
    const corrupt = (await readFile(MODEL_B)).subarray(0, 100);
    await expect(slot.load(corrupt, manifest('corrupt'))).rejects.toThrow();
    await expect(slot.load(Buffer.from('not a model at all'), manifest('garbage'))).rejects.toThrow();
    expect(slot.current()?.manifest.id).toBe('a');
    expect(await bias(slot)).toEqual({ bias: 1, id: 'a' });
    await slot.release();
  });

  it('swaps under concurrent runs with no failed run, each answered by a whole model', async () => {
    const slot = new OnnxModelSlot();
    await slot.load(MODEL_A, manifest('a'));
    let stop = false;
    const seen: { bias: number; id: string }[] = [];
    const workers = Array.from({ length: 8 }, async () => {
      while (!stop) seen.push(await bias(slot));
    });
    for (let swap = 0; swap < 10; swap++) {
      await slot.load(swap % 2 === 0 ? MODEL_B : MODEL_A, manifest(swap % 2 === 0 ? 'b' : 'a'));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    stop = true;
    await Promise.all(workers);
    expect(seen.length).toBeGreaterThan(50);
    for (const answer of seen) expect(answer).toEqual(answer.id === 'a' ? { bias: 1, id: 'a' } : { bias: 2, id: 'b' });
    expect(new Set(seen.map((answer) => answer.id))).toEqual(new Set(['a', 'b']));
    await slot.release();
  });
});
