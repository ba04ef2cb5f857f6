import { errorMessage, type DataBankClient, type Logger } from '@platform/core';
import { findPython, KernelFailedError, runKernel, type ArtifactCache, type ModelRegistry } from '@platform/ml';
import { handleJob, UserError, type EventPublisher, type JobContext } from '@platform/workers';
import { access, link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { trainJob, type TrainJob } from '../jobs/train.js';
import type { RunRequest } from '../models/run.js';
import { asUserErrors, fetchCorpus } from '../services/corpus/fetch.js';
import { prepareCorpus } from '../services/corpus/prepare.js';
import { KERNEL_DIR, KERNEL_MODULE } from '../services/kernel.js';
import { kernelTrainRequest } from '../services/kernel-request.js';
import { lmManifestFields, readLmConfig } from '../services/lm-config.js';
import { checkParity } from '../services/parity.js';
import type { RunStore } from '../services/run-store.js';
import type { TokenizerStore } from '../services/tokenizer-store.js';
import { runEventRelay } from './events.js';

/** What the worker runs a training with (its time limit is the definition's). */
export interface TrainHandlerDeps {
  store: RunStore;
  tokenizers: TokenizerStore;
  registry: ModelRegistry;
  cache: ArtifactCache;
  dataBank: DataBankClient;
  publisher: EventPublisher;
  logger: Logger;
  /** Each run's corpus token files and checkpoints: `<runsDir>/<run_id>/` (shared by the workers). */
  runsDir: string;
  maxCorpusBytes: number;
  stepEventMs: number;
  python?: string | undefined;
}

const ARTIFACT_FILES = ['model.onnx', 'model.pt', 'config.json', 'tokenizer.json'];
// The harness's release error is not exported; its message is its contract (libs/platform-workers worker.ts).
const releasedByShutdown = (reason: unknown) =>
  reason instanceof Error && !(reason instanceof UserError) && reason.message === 'worker is shutting down';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

async function resumeCheckpoint(deps: TrainHandlerDeps, runId: string | undefined): Promise<string | undefined> {
  if (runId === undefined) return undefined;
  const source = await deps.store.get(runId);
  if (!source?.checkpoint || !(await exists(source.checkpoint))) throw new UserError(`run ${runId} has no checkpoint to resume from`);
  return source.checkpoint;
}

async function train(deps: TrainHandlerDeps, request: RunRequest, context: JobContext) {
  const runId = context.jobId;
  await deps.store.ensure(runId, request);
  await deps.store.update(runId, { status: 'processing', error: null });
  const python = await findPython(deps.python);
  const dir = join(deps.runsDir, runId);
  const output = join(dir, 'out');
  await mkdir(output, { recursive: true });
  const corpus = await asUserErrors(async () => {
    const bytes = await fetchCorpus(deps.dataBank, request.corpus_file_id, dir, deps.maxCorpusBytes);
    const tokenizer =
      request.tokenizer_id === undefined
        ? undefined
        : await deps.tokenizers.load(request.tokenizer_id).catch((error: unknown) => {
            throw new UserError(`tokenizer ${request.tokenizer_id ?? ''}: ${errorMessage(error)}`);
          });
    return prepareCorpus(bytes, dir, {
      format: request.corpus_format,
      field: request.corpus_field,
      seed: request.seed,
      maxBytes: deps.maxCorpusBytes,
      tokenizer,
      fractions: { val: request.val_fraction, test: request.test_fraction },
    });
  });
  await deps.store.update(runId, { corpus: { ...corpus.stats, vocab_size: corpus.tokenizer.vocabSize } });
  const checkpoint = join(output, 'last.pt');
  // A job released by a worker that shut down (SIGTERM saved last.pt) continues where it stopped.
  const resumeFrom = (await exists(checkpoint)) ? checkpoint : await resumeCheckpoint(deps, request.resume_from);
  const relay = runEventRelay(deps, runId, request.user_id, context);
  let result;
  try {
    // The job's signal (cancel, timeout, shutdown) sends SIGTERM: the kernel saves last.pt and answers cancelled.
    result = await runKernel({
      python,
      module: KERNEL_MODULE,
      cwd: KERNEL_DIR,
      command: 'train',
      logger: context.logger,
      graceMs: 60_000,
      request: kernelTrainRequest(request, corpus, output, resumeFrom),
      signal: context.signal,
      onEvent: relay.onEvent,
    });
  } finally {
    await relay.settled();
  }
  if (result.status === 'cancelled') {
    const reason: unknown = context.signal.reason;
    if (releasedByShutdown(reason)) {
      // Back in the queue (the harness moved it there): the next worker resumes from last.pt.
      await deps.store.update(runId, { status: 'queued', checkpoint });
      throw reason;
    }
    const message = errorMessage(reason);
    await deps.store.update(runId, { status: 'cancelled', checkpoint, error: { kind: 'user', message } });
    throw new UserError(`training was cancelled (${message}); the last checkpoint is kept`);
  }
  await writeFile(join(output, 'tokenizer.json'), `${JSON.stringify(corpus.tokenizer.toJSON())}\n`);
  const parityError = await checkParity(output);
  await context.progress(92, 'exported; packing');
  const config = await readLmConfig(output);
  const fields = lmManifestFields(runId, config, { tokenizer_id: request.tokenizer_id ?? null, onnx_parity_max_abs: parityError });
  const artifact = join(dir, 'artifact');
  await rm(artifact, { recursive: true, force: true });
  await mkdir(artifact);
  // Hard links: the artifact holds the servable files only (never the checkpoints), without copying.
  await Promise.all(ARTIFACT_FILES.map((name) => link(join(output, name), join(artifact, name))));
  const entry = await deps.cache.publish(artifact, fields, deps.registry);
  await deps.store.update(runId, { status: 'completed', progress: 100, checkpoint, artifact: { model_id: runId, file_id: entry.file_id } });
  return {
    result: {
      run_id: runId,
      model_id: runId,
      file_id: entry.file_id,
      metrics: { ...entry.manifest.metrics, onnx_parity_max_abs: parityError },
    },
    result_id: entry.file_id,
  };
}

export function trainHandler(deps: TrainHandlerDeps, definition: TrainJob = trainJob()) {
  return handleJob(definition, async (request, context) => {
    try {
      return await train(deps, request, context);
    } catch (error) {
      const user = error instanceof UserError || (error instanceof KernelFailedError && error.kind === 'user');
      if (!releasedByShutdown(error)) {
        await deps.store.update(context.jobId, (record) =>
          record.status === 'cancelled'
            ? {}
            : { status: 'failed', error: { kind: user ? 'user' : 'system', message: errorMessage(error) } },
        );
      }
      if (error instanceof KernelFailedError && error.kind === 'user') throw new UserError(error.message, { cause: error });
      throw error;
    }
  });
}
