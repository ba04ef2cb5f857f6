import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/http/app.js';
import { toolReadiness } from '../src/http/tool-readiness.js';
import { createLogger } from '../src/logging.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tool-readiness-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A real executable that records each run in `runs` and exits with the code read from `code`. */
async function countingTool(name: string, exitCode: number): Promise<{ path: string; runs: () => Promise<number> }> {
  const path = join(dir, name);
  const runs = join(dir, `${name}.runs`);
  const codeFile = join(dir, `${name}.code`);
  await writeFile(codeFile, String(exitCode));
  await writeFile(path, `#!/bin/sh\necho run >> '${runs}'\nexit "$(cat '${codeFile}')"\n`);
  await chmod(path, 0o755);
  return {
    path,
    // The script writes the file on its first run: none yet means no runs.
    runs: async () => (await readFile(runs, 'utf8').catch(() => '')).split('\n').filter(Boolean).length,
  };
}

describe('toolReadiness', () => {
  it('passes for an installed tool (node itself)', async () => {
    await expect(toolReadiness('node', { command: process.execPath, args: ['--version'] }).check()).resolves.toBeUndefined();
  });

  it('names a missing tool and the Debian packages that provide it', async () => {
    const check = toolReadiness('pocketsphinx', {
      command: join(dir, 'no-such-pocketsphinx'),
      args: ['-h'],
      packages: ['pocketsphinx', 'pocketsphinx-en-us'],
    });
    expect(check.name).toBe('pocketsphinx');
    await expect(check.check()).rejects.toThrow('pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)');
  });

  it('defaults the package to the tool name', async () => {
    await expect(toolReadiness('ffmpeg', { command: join(dir, 'no-ffmpeg'), args: ['-version'] }).check()).rejects.toThrow(
      'ffmpeg is not installed (apt-get install ffmpeg)',
    );
  });

  it('fails when the probe exits non-zero', async () => {
    const tool = await countingTool('broken', 3);
    await expect(toolReadiness('broken', { command: tool.path, args: ['-v'] }).check()).rejects.toThrow(
      `broken does not work: \`${tool.path} -v\` ended with 3 (apt-get install broken)`,
    );
  });

  it('probes once after a success', async () => {
    const tool = await countingTool('steady', 0);
    const check = toolReadiness('steady', { command: tool.path, args: [] });
    await Promise.all([check.check(), check.check()]);
    await check.check();
    expect(await tool.runs()).toBe(1);
  });

  it('probes again after a failure, so installing the tool makes the check pass', async () => {
    const tool = await countingTool('later', 1);
    const check = toolReadiness('later', { command: tool.path, args: [] });
    await expect(check.check()).rejects.toThrow('later does not work');
    await expect(check.check()).rejects.toThrow('later does not work');
    await writeFile(join(dir, 'later.code'), '0');
    await check.check();
    await check.check();
    expect(await tool.runs()).toBe(3);
  });

  it('makes /readyz answer 503 naming the missing tool', async () => {
    const app = await createApp({
      service: 'tool-test',
      version: '0.0.0',
      logger: createLogger({ service: 'tool-test', level: 'silent' }),
      readiness: [
        toolReadiness('zbarimg', {
          command: join(dir, 'no-zbarimg'),
          args: ['--version'],
          packages: ['zbar-tools'],
        }),
      ],
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: 'degraded',
        checks: { zbarimg: 'failed: zbarimg is not installed (apt-get install zbar-tools)' },
      });
    } finally {
      await app.close();
    }
  });
});
