import { createCpuPool, workerModule, type CpuPoolOptions } from '@platform/core';
import type { WrappedReport } from '../analytics/report.js';
import type { CardLayout } from './card.js';
import type { CardTask } from './card.worker.js';

export interface CardRenderer {
  /** The card as PNG, drawn on a worker thread; 503 (Retry-After) when the pool's queue is full. */
  render(report: WrappedReport, layout: CardLayout): Promise<Buffer>;
  close(): Promise<void>;
}

/** Card rendering (satori layout, resvg rasterising: ~100 ms of CPU each) on @platform/core's CPU pool. */
export function createCardRenderer(options: Omit<CpuPoolOptions, 'filename'> = {}): CardRenderer {
  const pool = createCpuPool<CardTask, Uint8Array>({ maxThreads: 1, ...options, filename: workerModule(import.meta.url, './card.worker') });
  return {
    async render(report, layout) {
      const png = await pool.run({ report, layout });
      // Structured cloning hands back a Uint8Array over the same memory.
      return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
    },
    close: () => pool.close(),
  };
}
