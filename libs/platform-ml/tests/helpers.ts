import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ManifestFields } from '../src/index.js';

/** A temp dir per test file, removed afterwards. */
export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `platform-ml-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function manifestFields(id: string, kind = 'digits'): ManifestFields {
  return {
    id,
    kind,
    created_at: new Date().toISOString(),
    frameworks: { torch: '1.13.1', onnx_opset: '17' },
    hyperparameters: { epochs: 1, lr: 0.001 },
    metrics: { accuracy: 0.99 },
  };
}

export interface TarEntry {
  path: string;
  data?: Buffer;
  /** ustar type flag: '0' file, '1' hard link, '2' symlink, '3' char device, '5' directory. */
  type?: string;
  linkname?: string;
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(512);
  const field = (offset: number, length: number, value: string) => block.write(value.slice(0, length), offset, 'latin1');
  const octal = (value: number, length: number) => `${value.toString(8).padStart(length - 1, '0')}\0`;
  field(0, 100, entry.path);
  field(100, 8, octal(0o644, 8));
  field(108, 8, octal(0, 8));
  field(116, 8, octal(0, 8));
  field(124, 12, octal(size, 12));
  field(136, 12, octal(0, 12));
  field(148, 8, '        ');
  field(156, 1, entry.type ?? '0');
  field(157, 100, entry.linkname ?? '');
  field(257, 6, 'ustar\0');
  field(263, 2, '00');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

/** A ustar archive written by hand, so tests can build what our packer never would. */
export function tarOf(entries: TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    blocks.push(header(entry, data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}
