import { compress } from '@napi-rs/lzma/xz';
import { runChild } from '@platform/core';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArtifactError, packArtifact, unpackArtifact, writeManifest, xzDecompressedSize, type ArtifactManifest } from '../src/index.js';
import { manifestFields, tarOf, tempDir, type TarEntry } from './helpers.js';

let root: Awaited<ReturnType<typeof tempDir>>;
let counter = 0;
const fresh = () => join(root.path, `case-${String(++counter)}`);

beforeAll(async () => {
  root = await tempDir('artifact');
});
afterAll(async () => {
  await root.remove();
});

async function modelDir(): Promise<string> {
  const dir = fresh();
  await mkdir(join(dir, 'onnx'), { recursive: true });
  await writeFile(join(dir, 'model.pt'), Buffer.from('weights'.repeat(1000)));
  await writeFile(join(dir, 'onnx', 'model.onnx'), Buffer.from([1, 2, 3, 4]));
  await writeFile(join(dir, 'config.json'), '{"layers":3}');
  return dir;
}

async function packed(): Promise<{ file: string; manifest: ArtifactManifest; dir: string }> {
  const dir = await modelDir();
  await writeManifest(dir, manifestFields('digits-1'));
  const file = `${dir}.tar.xz`;
  const { manifest } = await packArtifact(dir, file);
  return { file, manifest, dir };
}

async function xzFile(tar: Buffer): Promise<string> {
  const file = `${fresh()}.tar.xz`;
  await writeFile(file, await compress(tar));
  return file;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** An archive whose manifest lists `listed`, holding `entries` after it. */
async function craftedArtifact(listed: { path: string; data: Buffer }[], entries: TarEntry[]): Promise<string> {
  const manifest = {
    ...manifestFields('crafted'),
    extra: {},
    files: listed.map((file) => ({ path: file.path, size: file.data.length, sha256: sha256(file.data) })),
  };
  return xzFile(tarOf([{ path: 'manifest.json', data: Buffer.from(JSON.stringify(manifest)) }, ...entries]));
}

async function expectRefused(file: string, reason: ArtifactError['reason'], limits = {}): Promise<void> {
  const dest = fresh();
  const error = await unpackArtifact(file, dest, limits).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ArtifactError);
  expect((error as ArtifactError).reason).toBe(reason);
  await expect(readdir(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  expect((await readdir(root.path)).filter((name) => name.includes('.unpack-'))).toEqual([]);
}

describe('manifest, pack and unpack', () => {
  it('round-trips every file with its hash, manifest.json first', async () => {
    const { file, manifest, dir } = await packed();
    expect(manifest.files.map((entry) => entry.path)).toEqual(['config.json', 'model.pt', 'onnx/model.onnx']);
    expect(manifest.extra).toEqual({});
    const listing = await runChild('tar', ['-tJf', file]);
    expect(listing.stdout.toString().split('\n')[0]).toBe('manifest.json');

    const dest = fresh();
    const unpacked = await unpackArtifact(file, dest);
    expect(unpacked).toEqual(manifest);
    for (const name of ['config.json', 'model.pt', 'onnx/model.onnx', 'manifest.json']) {
      expect(await readFile(join(dest, name))).toEqual(await readFile(join(dir, name)));
    }
  });

  it('refuses to pack a dir that changed since its manifest', async () => {
    const { dir } = await packed();
    await writeFile(join(dir, 'model.pt'), 'other weights');
    await expect(packArtifact(dir, `${dir}.again.tar.xz`)).rejects.toMatchObject({ reason: 'hash-mismatch' });
    await writeFile(join(dir, 'stray.txt'), 'x');
    await expect(writeManifest(dir, manifestFields('digits-2'))).resolves.toMatchObject({ id: 'digits-2' });
  });

  it('refuses a symlink in the dir when writing the manifest', async () => {
    const dir = await modelDir();
    await symlink('/etc/passwd', join(dir, 'link'));
    await expect(writeManifest(dir, manifestFields('x'))).rejects.toMatchObject({
      reason: 'unsupported-entry',
    });
  });

  it('unpacks into an existing empty dir but not a non-empty one', async () => {
    const { file } = await packed();
    const dest = fresh();
    await mkdir(dest);
    await unpackArtifact(file, dest);
    await expect(unpackArtifact(file, dest)).rejects.toMatchObject({ reason: 'destination-not-empty' });
  });
});

describe('unpack refuses', () => {
  const weights = { path: 'model.pt', data: Buffer.from('weights') };

  it('a tampered file', async () => {
    const file = await craftedArtifact([weights], [{ path: 'model.pt', data: Buffer.from('WEIGHTS') }]);
    await expectRefused(file, 'hash-mismatch');
  });

  it('a file of another size than the manifest says', async () => {
    await expectRefused(await craftedArtifact([weights], [{ path: 'model.pt', data: Buffer.from('weights!') }]), 'size-mismatch');
  });

  it('a path with ..', async () => {
    const evil = { path: '../evil.pt', data: Buffer.from('x') };
    await expectRefused(await craftedArtifact([weights], [weights, evil]), 'unsafe-path');
    await expectRefused(await craftedArtifact([weights], [{ path: 'a/../../b', data: Buffer.from('x') }]), 'unsafe-path');
  });

  it('an absolute path', async () => {
    await expectRefused(await craftedArtifact([weights], [{ path: '/tmp/evil', data: Buffer.from('x') }]), 'unsafe-path');
  });

  it('symlinks, hard links and devices', async () => {
    for (const type of ['2', '1', '3', '4', '6']) {
      const entry = { path: 'link', type, ...(type < '3' && { linkname: '/etc/passwd' }) };
      await expectRefused(await craftedArtifact([weights], [weights, entry]), 'unsupported-entry');
    }
  });

  it('a file not in the manifest, a duplicate and a missing one', async () => {
    await expectRefused(await craftedArtifact([weights], [weights, { path: 'extra.bin', data: Buffer.from('x') }]), 'unlisted-file');
    await expectRefused(await craftedArtifact([weights], [weights, weights]), 'duplicate-file');
    await expectRefused(await craftedArtifact([weights], []), 'missing-file');
  });

  it('an archive that does not start with its manifest, or has a bad one', async () => {
    await expectRefused(await xzFile(tarOf([weights])), 'manifest-missing');
    await expectRefused(await xzFile(tarOf([{ path: 'manifest.json', data: Buffer.from('{"id":1}') }])), 'manifest-invalid');
    await expectRefused(await xzFile(tarOf([{ path: 'manifest.json', data: Buffer.from('not json') }])), 'manifest-invalid');
  });

  it('what is not a tar.xz', async () => {
    const file = fresh();
    await writeFile(file, 'plain text');
    await expectRefused(file, 'not-xz');
    await expectRefused(await xzFile(Buffer.from('not a tar at all'.repeat(100))), 'not-tar');
  });

  it('too many entries and oversize entries', async () => {
    const many = Array.from({ length: 5 }, (_, index) => ({
      path: `f${String(index)}`,
      data: Buffer.from('x'),
    }));
    await expectRefused(await craftedArtifact(many, many), 'too-many-entries', { maxEntries: 3 });
    const big = { path: 'big.bin', data: Buffer.alloc(10_000) };
    await expectRefused(await craftedArtifact([big], [big]), 'too-large', { maxEntryBytes: 1000 });
    await expectRefused(await craftedArtifact([big, weights], [big, weights]), 'too-large', {
      maxTotalBytes: 10_003,
    });
  });

  it('a 2 GB decompression bomb, quickly and in bounded memory', async () => {
    // 64 MiB of zeros through xz is a few KiB; 32 concatenated streams are one valid 2 GiB .xz file.
    const zeros = await runChild('sh', ['-c', 'head -c 67108864 /dev/zero | xz -1 -T1 -c'], {
      maxOutputBytes: 1 << 20,
    });
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => zeros.stdout));
    expect(xzDecompressedSize(bomb)).toBe(2 * 1024 ** 3);
    const file = `${fresh()}.tar.xz`;
    await writeFile(file, bomb);
    const rssBefore = process.memoryUsage().rss;
    const started = Date.now();
    await expectRefused(file, 'too-large');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('xzDecompressedSize', () => {
  it('reads the size of what lzma-rs and xz write, multi-block included, without decompressing', async () => {
    const data = Buffer.from(Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 251));
    expect(xzDecompressedSize(await compress(data))).toBe(data.length);
    const input = join(root.path, 'sample.bin');
    await writeFile(input, data);
    const multiBlock = await runChild('xz', ['-6', '-T1', '--block-size=65536', '-c', input], {
      maxOutputBytes: 1 << 20,
    });
    expect(xzDecompressedSize(multiBlock.stdout)).toBe(data.length);
    expect(() => xzDecompressedSize(multiBlock.stdout.subarray(0, 100))).toThrow(ArtifactError);
  });
});
