import path from 'node:path';

/**
 * The file's path as the rules see it: relative to the ESLint working directory (the repository root
 * when run from there) with forward slashes, or the absolute path when the file lies outside it.
 */
export function repoPath(filename: string, cwd: string): string {
  const relative = path.relative(cwd, filename);
  const chosen = relative.startsWith('..') || path.isAbsolute(relative) ? filename : relative;
  return chosen.split(path.sep).join('/');
}

const has = (file: string, pattern: RegExp) => pattern.test(`/${file}`);

/** Tests, test helpers (`testing/` entries), scripts and benchmarks: code that never runs in a service. */
export function isToolingFile(file: string): boolean {
  return has(file, /\/(tests|testing|scripts|bench)\//) || has(file, /\.(test|spec)\.[cm]?[jt]sx?$/);
}

export function isTestFile(file: string): boolean {
  return has(file, /\/(tests|bench)\//) || has(file, /\.(test|spec)\.[cm]?[jt]sx?$/);
}

/** A config module: `src/config.ts`, anything under `src/config/`, or a tool's `*.config.*` file. */
export function isConfigModule(file: string): boolean {
  return has(file, /\/src\/config\.[cm]?[jt]s$/) || has(file, /\/src\/config\//) || has(file, /\/[^/]+\.config\.[^/]+$/);
}

/** The service directory name a file belongs to (`services/<name>/...`), if any. */
export function serviceDirOf(file: string): string | undefined {
  return /\/services\/([^/]+)\//.exec(`/${file}`)?.[1];
}
