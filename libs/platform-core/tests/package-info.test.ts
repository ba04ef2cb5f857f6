import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { packageInfo } from '../src/index.js';

const root = await mkdtemp(join(tmpdir(), 'package-info-'));
afterAll(() => rm(root, { recursive: true, force: true }));

describe('packageInfo', () => {
  it('reads the nearest package.json above a module, from src/ and from dist/src/ alike', async () => {
    await mkdir(join(root, 'svc/dist/src'), { recursive: true });
    await writeFile(join(root, 'svc/package.json'), JSON.stringify({ name: 'demo-api', version: '1.2.3' }));
    expect(packageInfo(pathToFileURL(join(root, 'svc/src/app.ts')).href)).toEqual({ name: 'demo-api', version: '1.2.3' });
    expect(packageInfo(pathToFileURL(join(root, 'svc/dist/src/app.js')).href)).toEqual({ name: 'demo-api', version: '1.2.3' });
  });

  it('names a package.json without a name or version', async () => {
    await mkdir(join(root, 'bad/src'), { recursive: true });
    await writeFile(join(root, 'bad/package.json'), JSON.stringify({ private: true }));
    expect(() => packageInfo(pathToFileURL(join(root, 'bad/src/app.ts')).href)).toThrow(/bad\/package.json has no name and version/);
  });

  it('is this package for its own modules', () => {
    expect(packageInfo(import.meta.url).name).toBe('@platform/core');
  });
});
