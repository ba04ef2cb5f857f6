import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  /** The package's name, which is the service name in logs, metrics and /healthz (`turkic-api`). */
  name: string;
  version: string;
}

/**
 * The name and version of the package a module belongs to: the nearest package.json above it, so the
 * same call works from `src/` (tsx) and from `dist/src/` (built). Pass `import.meta.url`.
 */
export function packageInfo(moduleUrl: string): PackageInfo {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const { name, version } = JSON.parse(readFileSync(file, 'utf8')) as Partial<PackageInfo>;
      if (typeof name !== 'string' || typeof version !== 'string') throw new Error(`${file} has no name and version`);
      return { name, version };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${moduleUrl}`);
    dir = parent;
  }
}
