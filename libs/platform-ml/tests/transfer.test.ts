import { startDataBankProcess, type DataBankProcess } from 'data-bank-api/testing';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadArtifact, packArtifact, unpackArtifact, uploadArtifact, writeManifest } from '../src/index.js';
import { manifestFields, tempDir } from './helpers.js';

let bank: DataBankProcess;
let dir: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  [bank, dir] = await Promise.all([startDataBankProcess(), tempDir('transfer')]);
});
afterAll(async () => {
  await Promise.all([bank.stop(), dir.remove()]);
});

describe('uploadArtifact and downloadArtifact', () => {
  it('store a packed artifact in the real data-bank-api and bring it back intact', async () => {
    const model = join(dir.path, 'model');
    await mkdir(model);
    await writeFile(join(model, 'model.onnx'), Buffer.from('onnx bytes'));
    await writeManifest(model, manifestFields('digits-up'));
    const packed = join(dir.path, 'model.tar.xz');
    const { bytes } = await packArtifact(model, packed);

    const uploaded = await uploadArtifact(bank.client, packed);
    expect(uploaded).toEqual({ file_id: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown, bytes });
    expect(await uploadArtifact(bank.client, packed)).toEqual(uploaded);

    const downloaded = join(dir.path, 'downloaded.tar.xz');
    expect(await downloadArtifact(bank.client, uploaded.file_id, downloaded)).toEqual(uploaded);
    expect(await readFile(downloaded)).toEqual(await readFile(packed));
    const manifest = await unpackArtifact(downloaded, join(dir.path, 'unpacked'));
    expect(manifest.id).toBe('digits-up');
  });
});
