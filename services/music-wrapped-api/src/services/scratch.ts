import { createScratchArea, type Logger, type ScratchArea } from '@platform/core';
import { join } from 'node:path';

/**
 * The process's scratch area under MUSIC_TMP_DIR (`api` for uploads, `worker` for downloads), after
 * sweeping what a killed predecessor left there. Replicas sharing the dir never sweep each other's jobs.
 */
export async function openScratchArea(tmpDir: string, role: 'api' | 'worker', logger: Logger): Promise<ScratchArea> {
  const scratch = createScratchArea(join(tmpDir, role));
  const swept = await scratch.sweep();
  if (swept.removedDirs.length > 0) logger.info({ removed: swept.removedDirs.length }, 'removed scratch dirs left by a previous run');
  return scratch;
}
