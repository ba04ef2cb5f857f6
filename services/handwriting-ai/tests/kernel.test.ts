import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDigitModel } from '../src/services/digit-model.js';
import { manifestOf } from './helpers/registry.js';
import { mnistFiles, runTrainKernel } from './helpers/kernel.js';

const scratch = await mkdtemp(join(tmpdir(), 'digits-kernel-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const tiny = (name: string, extra: object = {}) => ({
  ...mnistFiles(),
  output_dir: join(scratch, name),
  limit_train: 1200,
  limit_test: 200,
  validation_size: 200,
  epochs: 1,
  max_steps: 6,
  batch_size: 32,
  threads: 1,
  seed: 3,
  ...extra,
});

interface Parity {
  shape: number[];
  input: number[];
  logits: number[];
}

describe('digits kernel', () => {
  it('trains a few steps, reports per-epoch metrics and calibration, and exports ONNX that agrees with PyTorch', async () => {
    const { events, code, stderr } = await runTrainKernel(tiny('run'));
    expect(code, stderr).toBe(0);
    const metrics = events.find((event) => event.event === 'metrics');
    expect(metrics?.epoch).toBe(1);
    for (const field of ['loss', 'accuracy', 'images_per_s']) expect(typeof metrics?.[field]).toBe('number');
    const result = events.at(-1);
    expect(result).toMatchObject({ event: 'result', status: 'completed' });
    const summary = result?.metrics as Record<string, unknown>;
    for (const field of ['temperature', 'ece_before', 'ece_after', 'test_accuracy']) expect(typeof summary[field]).toBe('number');
    for (const file of ['model.onnx', 'model.pt', 'config.json']) expect((await stat(join(scratch, 'run', file))).size).toBeGreaterThan(0);

    const parity = JSON.parse(await readFile(join(scratch, 'run', 'parity.json'), 'utf8')) as Parity;
    const onnx = await readFile(join(scratch, 'run', 'model.onnx'));
    expect(await checkDigitModel(onnx, manifestOf('run'), parity)).toBeLessThan(1e-4);
    // the check is real: logits moved by more than the limit are refused
    const shifted = { ...parity, logits: parity.logits.map((value) => value + 1e-3) };
    await expect(checkDigitModel(onnx, manifestOf('run'), shifted)).rejects.toThrow(/differ/);
  });

  it('is deterministic for a seed', async () => {
    await runTrainKernel(tiny('again'));
    const [first, second] = await Promise.all(
      ['run', 'again'].map(async (name) => JSON.parse(await readFile(join(scratch, name, 'parity.json'), 'utf8')) as Parity),
    );
    expect(second?.logits).toEqual(first?.logits);
  });

  it('on SIGTERM saves a checkpoint and answers result cancelled with exit 0', async () => {
    const request = tiny('cancel', { limit_train: 20000, max_steps: 2000, validation_size: 500 });
    const { events, code } = await runTrainKernel(request, (event, child) => {
      if (event.event === 'progress') child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(events.at(-1)).toMatchObject({ event: 'result', status: 'cancelled' });
    expect((await stat(join(scratch, 'cancel', 'checkpoint.pt'))).size).toBeGreaterThan(0);
  });

  it('answers an invalid request with an error event and a non-zero exit', async () => {
    const { events, code } = await runTrainKernel({ ...tiny('bad'), device: 'tpu' });
    expect(code).toBe(1);
    expect(events.at(-1)).toMatchObject({ event: 'error', code: 'invalid_request' });
  });
});
