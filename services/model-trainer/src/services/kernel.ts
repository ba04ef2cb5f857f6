import { fileURLToPath } from 'node:url';

/** The folder holding the `trainer_kernel` package. */
export const KERNEL_DIR = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../python' : '../../python', import.meta.url));
export const KERNEL_MODULE = 'trainer_kernel';
