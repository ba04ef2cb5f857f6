import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { configVariables, envExampleNames, type ExportIndex } from './config-variables.js';
import { relativePath, walkFiles } from './files.js';
import type { Violation } from './violation.js';
import type { WorkspacePackage } from './workspace.js';

const SERVICE_FILES = ['src/main.ts', 'src/app.ts', 'src/config.ts', 'README.md', '.env.example', 'Dockerfile'];
const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;

/** Every package has a README and at least one test file under tests/. */
export function checkPackageBasics(root: string, pkg: WorkspacePackage): Violation[] {
  const violations: Violation[] = [];
  if (!existsSync(path.join(root, pkg.dir, 'README.md'))) {
    violations.push({
      path: pkg.dir,
      rule: 'package-readme',
      message: 'no README.md: describe what the package does, its API, configuration and how to run it',
    });
  }
  if (!walkFiles(path.join(root, pkg.dir, 'tests')).some((file) => TEST_FILE.test(file))) {
    violations.push({ path: pkg.dir, rule: 'package-tests', message: 'no tests: add tests/*.test.ts' });
  }
  return violations;
}

/** The files every service has, its .env.example matching its config, and probe tests. */
export function checkService(root: string, pkg: WorkspacePackage, index: ExportIndex): Violation[] {
  const dir = path.join(root, pkg.dir);
  const violations: Violation[] = [];
  for (const file of SERVICE_FILES) {
    if (!existsSync(path.join(dir, file)))
      violations.push({ path: `${pkg.dir}/${file}`, rule: 'service-files', message: `missing: every service has ${file}` });
  }
  if (!COMPOSE_FILES.some((file) => existsSync(path.join(dir, file)))) {
    violations.push({ path: `${pkg.dir}/docker-compose.yml`, rule: 'service-files', message: 'missing: every service has a compose file' });
  }
  const configFile = path.join(dir, 'src/config.ts');
  const exampleFile = path.join(dir, '.env.example');
  if (existsSync(configFile) && existsSync(exampleFile)) {
    const read = configVariables(configFile, index);
    const listed = envExampleNames(exampleFile);
    const at = `${pkg.dir}/.env.example`;
    for (const name of [...read].filter((n) => !listed.has(n)).sort()) {
      violations.push({
        path: at,
        rule: 'env-example',
        message: `${name} is read by src/config.ts but not listed: add it with its default`,
      });
    }
    for (const name of [...listed].filter((n) => !read.has(n)).sort()) {
      violations.push({
        path: at,
        rule: 'env-example',
        message: `${name} is listed but src/config.ts does not read it: remove it or add it to the schema`,
      });
    }
  }
  const testSources = walkFiles(path.join(dir, 'tests'))
    .filter((f) => /\.[cm]?[jt]sx?$/.test(f))
    .map((f) => readFileSync(f, 'utf8'));
  for (const probe of ['/healthz', '/readyz']) {
    if (!testSources.some((text) => text.includes(probe))) {
      violations.push({
        path: `${pkg.dir}/tests`,
        rule: 'service-probe-tests',
        message: `no test requests ${probe}: add one (createApp from @platform/core serves it)`,
      });
    }
  }
  return violations;
}

const MAX_LINES = 400;
const CODE_FILE = /\.([cm]?[jt]sx?|py|sh)$/;

/** No source or script file over 400 lines (tests are exempt): split it into modules with one job each. */
export function checkFileLengths(root: string, dirs: string[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of dirs.flatMap((dir) => walkFiles(path.join(root, dir)))) {
    if (!CODE_FILE.test(file) || file.endsWith('.d.ts') || /\/tests\//.test(file)) continue;
    const text = readFileSync(file, 'utf8');
    const lines = text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
    if (lines > MAX_LINES) {
      violations.push({
        path: relativePath(root, file),
        rule: 'file-length',
        message: `${lines} lines (at most ${MAX_LINES} outside tests): split it into modules with one job each`,
      });
    }
  }
  return violations;
}
