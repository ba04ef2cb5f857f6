import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface WorkspacePackage {
  /** Directory relative to the repository root, e.g. `services/qr-api`. */
  dir: string;
  /** `libs`, `services` or `clients`: the first path segment. */
  kind: string;
  name: string;
  /** Names of everything the package depends on (dependencies, dev, peer and optional). */
  dependsOn: string[];
}

interface Manifest {
  name?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;

/** The workspace packages named by the root package.json (`"workspaces": ["libs/*", ...]`). */
export function listPackages(root: string): WorkspacePackage[] {
  const patterns = readManifest(path.join(root, 'package.json')).workspaces ?? [];
  const packages: WorkspacePackage[] = [];
  for (const pattern of patterns) {
    const parent = pattern.replace(/\/\*$/, '');
    const dirs =
      pattern.endsWith('/*') && existsSync(path.join(root, parent))
        ? readdirSync(path.join(root, parent)).map((d) => `${parent}/${d}`)
        : [pattern];
    for (const dir of dirs.sort()) {
      const manifestFile = path.join(root, dir, 'package.json');
      if (!existsSync(manifestFile)) continue;
      const manifest = readManifest(manifestFile);
      const dependsOn = [manifest.dependencies, manifest.devDependencies, manifest.peerDependencies, manifest.optionalDependencies].flatMap(
        (deps) => Object.keys(deps ?? {}),
      );
      packages.push({ dir, kind: dir.split('/')[0] ?? dir, name: manifest.name ?? dir, dependsOn: [...new Set(dependsOn)] });
    }
  }
  return packages;
}
