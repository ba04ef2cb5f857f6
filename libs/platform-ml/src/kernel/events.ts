import { z } from 'zod';

/**
 * One JSON line of a kernel's stdout (DESIGN.md section 7). Each event names its kind; the other
 * fields are the kernel's own (extra fields are kept), with a few common ones typed.
 */
export const KernelEvent = z.discriminatedUnion('event', [
  z.looseObject({
    event: z.literal('progress'),
    fraction: z.number().min(0).max(1).optional(),
    message: z.string().optional(),
  }),
  z.looseObject({ event: z.literal('metrics'), step: z.number().optional(), epoch: z.number().optional() }),
  z.looseObject({ event: z.literal('artifact'), path: z.string() }),
  z.looseObject({
    event: z.literal('log'),
    message: z.string(),
    level: z.enum(['debug', 'info', 'warn', 'error']).optional(),
  }),
  z.looseObject({ event: z.literal('result'), status: z.string().optional() }),
  z.looseObject({
    event: z.literal('error'),
    message: z.string(),
    kind: z.enum(['user', 'system']).optional(),
  }),
]);
export type KernelEvent = z.infer<typeof KernelEvent>;
export type KernelResult = Extract<KernelEvent, { event: 'result' }>;
