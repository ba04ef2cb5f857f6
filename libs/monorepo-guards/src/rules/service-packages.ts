import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The repository root above `fromDir`: the nearest directory whose package.json declares workspaces. */
export function findWorkspaceRoot(fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && 'workspaces' in (JSON.parse(readFileSync(manifest, 'utf8')) as object)) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

const cache = new Map<string, Map<string, string>>();

/** Package name → directory name of every service (`services/<dir>/package.json`) under the root. */
export function servicePackages(root: string): Map<string, string> {
  const known = cache.get(root);
  if (known) return known;
  const found = new Map<string, string>();
  const servicesDir = path.join(root, 'services');
  if (existsSync(servicesDir)) {
    for (const dir of readdirSync(servicesDir)) {
      const manifest = path.join(servicesDir, dir, 'package.json');
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
      if (typeof name === 'string') found.set(name, dir);
    }
  }
  cache.set(root, found);
  return found;
}
