import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencyCycles } from '../../src/structure/cycles.js';
import { checkFileLengths, checkPackageBasics } from '../../src/structure/package-checks.js';
import type { WorkspacePackage } from '../../src/structure/workspace.js';

const pkg = (name: string, dependsOn: string[] = []): WorkspacePackage => ({ dir: `libs/${name}`, kind: 'libs', name, dependsOn });

describe('checkDependencyCycles', () => {
  it('accepts a tree, ignoring dependencies outside the workspace', () => {
    expect(checkDependencyCycles([pkg('a', ['b', 'zod']), pkg('b', ['c']), pkg('c')])).toEqual([]);
  });

  it('reports each cycle once, with its path', () => {
    const violations = checkDependencyCycles([pkg('a', ['b']), pkg('b', ['c']), pkg('c', ['a']), pkg('d', ['d'])]);
    expect(violations.map((v) => `${v.path}: ${v.message.split(':')[0] ?? ''}`)).toEqual([
      'libs/a/package.json: a -> b -> c -> a',
      'libs/d/package.json: d -> d',
    ]);
  });
});

describe('file checks on a temporary directory', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'guards-files-'));
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  const lines = (n: number) => 'x\n'.repeat(n);

  it('allows 400 lines, reports 401, skips tests, dist, data and declaration files', () => {
    write('libs/a/src/ok.ts', lines(400));
    write('libs/a/src/long.ts', lines(401));
    write('libs/a/src/tests/long.ts', lines(900));
    write('libs/a/src/dist/long.js', lines(900));
    write('libs/a/src/data.json', lines(900));
    write('libs/a/src/types.d.ts', lines(900));
    write('scripts/run.mjs', lines(450));
    expect(
      checkFileLengths(root, ['libs/a/src', 'libs/a/scripts', 'scripts']).map((v) => `${v.path}: ${v.message.split(' (')[0] ?? ''}`),
    ).toEqual(['libs/a/src/long.ts: 401 lines', 'scripts/run.mjs: 450 lines']);
  });

  it('wants a README and a test file in every package', () => {
    write('libs/b/tests/helpers.ts', 'export {};\n');
    expect(checkPackageBasics(root, pkg('b')).map((v) => v.rule)).toEqual(['package-readme', 'package-tests']);
    write('libs/b/README.md', '# b\n');
    write('libs/b/tests/unit/b.test.ts', 'it("b", () => {});\n');
    expect(checkPackageBasics(root, pkg('b'))).toEqual([]);
  });
});
