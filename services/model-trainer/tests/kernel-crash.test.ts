import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SHAKESPEARE } from './helpers/corpus.js';
import { PYTHON } from './helpers/kernel.js';
import { trainerWorld, uploadText, type TrainerWorld } from './helpers/world.js';

let world: TrainerWorld;
let dir: string;

// An interpreter that imports torch when asked (findPython's check) but whose kernel dies mid-run.
const dying = (python: string) => `#!/bin/sh
case "$1" in -c) exec ${python} "$@";; esac
echo '{"event":"metrics","kind":"step","step":1,"train_loss":4.2,"tokens_per_s":10}'
kill -9 $$
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'trainer-crash-'));
  const python = join(dir, 'python3');
  await writeFile(python, dying(PYTHON));
  await chmod(python, 0o755);
  world = await trainerWorld({ python });
}, 120_000);
afterAll(async () => {
  await world.close();
  await rm(dir, { recursive: true, force: true });
});

it('a kernel that dies mid-run ends the run and its job failed (system), with a failed event', async () => {
  const corpus = await uploadText(world.bank, Buffer.from((await readFile(SHAKESPEARE, 'utf8')).slice(0, 20_000)));
  const queued = await world.app.inject({
    method: 'POST',
    url: '/v1/runs',
    payload: { user_id: '5', family: 'char_lstm', size: 'small', corpus_file_id: corpus, max_steps: 5 },
  });
  const { run_id, job_id } = queued.json<{ run_id: string; job_id: string }>();
  const run = async () =>
    (await world.app.inject({ method: 'GET', url: `/v1/runs/${run_id}` })).json<{
      status: string;
      metrics: { step: number | null };
      error: { kind: string } | null;
    }>();
  await expect.poll(async () => (await run()).status, { timeout: 60_000, interval: 300 }).toBe('failed');
  expect((await run()).error?.kind).toBe('system');
  expect((await run()).metrics.step).toBe(1);
  const job = (await world.app.inject({ method: 'GET', url: `/v1/jobs/${job_id}` })).json<{
    status: string;
    error: { kind: string } | null;
  }>();
  expect(job).toMatchObject({ status: 'failed', error: { kind: 'system' } });
  await expect.poll(() => world.events.some((event) => event.type === 'trainer.job.failed.v1' && event.job_id === job_id)).toBe(true);
});
