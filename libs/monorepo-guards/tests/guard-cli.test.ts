import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanRepo, writeRepo } from './fixtures/fake-repo.js';

const cli = path.resolve(import.meta.dirname, '../src/guard-cli.ts');
const tsx = path.resolve(import.meta.dirname, '../../../node_modules/.bin/tsx');

async function guard(root: string): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(tsx, [cli, '--root', root]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

const clean = writeRepo(cleanRepo);
const planted = writeRepo(cleanRepo, { 'services/beta-api/Dockerfile': null });
afterAll(() => {
  clean.remove();
  planted.remove();
});

describe('platform-guard', () => {
  it('prints a one-line summary and exits 0 on a clean repository', async () => {
    expect(await guard(clean.root)).toEqual({ code: 0, stdout: 'guard: 4 packages checked, no violations\n' });
  });

  it('prints `path: rule: message` per violation and exits 1', async () => {
    expect(await guard(planted.root)).toEqual({
      code: 1,
      stdout: 'services/beta-api/Dockerfile: service-files: missing: every service has Dockerfile\n',
    });
  });
});
