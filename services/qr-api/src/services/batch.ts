import { AppError } from '@platform/core';
import type { BatchItem } from '../models/request.js';
import { generateQr } from './generate.js';
import type { QrDefaults } from './render.js';

export interface BatchFile {
  name: string;
  body: Buffer;
  /** PNGs are stored (already deflated); SVG and text are deflated in the zip. */
  compress: boolean;
}

/**
 * Every item of a batch rendered, named `name.ext` (default `qr-001.ext`, ...). A bad item or a
 * duplicate file name is a 400 naming it (`body.items.3.data.url`), before anything is sent.
 */
export async function renderBatch(items: readonly BatchItem[], defaults: QrDefaults): Promise<BatchFile[]> {
  const names = new Set<string>();
  const files: BatchFile[] = [];
  for (const [index, item] of items.entries()) {
    const prefix = `body.items.${index}.`;
    const { data, url, name, ...input } = item;
    const image = await generateQr({ data, url }, input, input.format ?? 'png', defaults, prefix);
    const fileName = `${name ?? `qr-${String(index + 1).padStart(3, '0')}`}.${image.extension}`;
    if (names.has(fileName)) {
      const message = `duplicate file name ${fileName}`;
      throw new AppError('INVALID_INPUT', `${prefix}name: ${message}`, {
        details: [{ path: `${prefix}name`, message }],
      });
    }
    names.add(fileName);
    files.push({ name: fileName, body: image.body, compress: image.extension !== 'png' });
  }
  return files;
}
