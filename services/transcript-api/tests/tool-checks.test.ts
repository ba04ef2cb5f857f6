import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { toolChecksFrom } from '../src/deps.js';

const run = (checks: ReturnType<typeof toolChecksFrom>) => Promise.allSettled(checks.map((check) => check.check()));

describe('tool readiness', () => {
  it('checks ffmpeg, ffprobe and, for the local provider, pocketsphinx with its model', async () => {
    const checks = toolChecksFrom(readConfig({}));
    expect(checks.map((check) => check.name)).toEqual(['ffmpeg', 'ffprobe', 'pocketsphinx']);
    expect((await run(checks)).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('leaves pocketsphinx out when a remote provider does the speech-to-text', () => {
    const checks = toolChecksFrom(readConfig({ STT_API_KEY: 'sk-test' }));
    expect(checks.map((check) => check.name)).toEqual(['ffmpeg', 'ffprobe']);
  });

  it('names each missing tool and the Debian packages to install', async () => {
    const checks = toolChecksFrom(
      readConfig({
        FFMPEG_PATH: '/nonexistent/ffmpeg',
        FFPROBE_PATH: '/nonexistent/ffprobe',
        POCKETSPHINX_PATH: '/nonexistent/pocketsphinx_continuous',
      }),
    );
    const reasons = (await run(checks)).map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'ok'));
    expect(reasons).toEqual([
      'ffmpeg is not installed (apt-get install ffmpeg)',
      'ffprobe is not installed (apt-get install ffmpeg)',
      'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)',
    ]);
  });
});
