import { AppError } from '@platform/core';
import type { SourceSpec } from '../models/wrapped.js';
import type { ImportStore } from './import-store.js';
import { STORED_TOKENS } from './live-sources.js';
import { connectHow, type TokenStore } from './token-store.js';

/**
 * Checks a report's sources before a job is queued: each import exists, is the caller's and is of the
 * named service, no two imports hold the same file (its plays would count twice), each live account is
 * connected, and an Apple export is not combined with the live Apple account.
 */
export async function checkSources(
  sources: readonly SourceSpec[],
  userId: string,
  stores: { imports: ImportStore; tokens: TokenStore },
): Promise<void> {
  const apple = sources.filter((source) => source.service === 'apple_music');
  if (apple.some((source) => 'live' in source) && apple.some((source) => 'import_id' in source)) {
    // Live plays have estimated times, so their overlap with the export cannot be found: both would count.
    throw new AppError('INVALID_INPUT', 'use either an Apple Music export or the live Apple Music account, not both');
  }
  const importOfFile = new Map<string, string>();
  for (const source of sources) {
    if ('import_id' in source) {
      const record = await stores.imports.get(source.import_id, userId);
      if (!record) throw new AppError('NOT_FOUND', `no import ${source.import_id}`);
      if (record.service !== source.service) {
        throw new AppError('INVALID_INPUT', `import ${source.import_id} is a ${record.service} export, not ${source.service}`);
      }
      const same = importOfFile.get(record.file_id);
      if (same !== undefined) throw new AppError('INVALID_INPUT', `imports ${same} and ${source.import_id} are the same file`);
      importOfFile.set(record.file_id, source.import_id);
    } else if (!(await stores.tokens.get(source.service, userId, STORED_TOKENS[source.service]))) {
      throw new AppError('INVALID_INPUT', `no connected ${source.service} account: connect it through ${connectHow(source.service)} first`);
    }
  }
}
