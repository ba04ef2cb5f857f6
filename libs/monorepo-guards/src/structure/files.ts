import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['node_modules', 'dist', 'coverage', '.git']);

/** Every file under `dir` (absolute paths), skipping node_modules, dist and coverage; none when it is missing. */
export function walkFiles(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walkFiles(full));
    else if (entry.isFile()) found.push(full);
  }
  return found;
}

/** `file` relative to `root`, with forward slashes. */
export const relativePath = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/');
