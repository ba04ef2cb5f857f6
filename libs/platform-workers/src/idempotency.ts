import { invalidInput } from '@platform/core';
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
const VISIBLE_ASCII = /^[\x21-\x7e]{1,200}$/;
const RULE = 'must be 1 to 200 visible ASCII characters';

/**
 * The `Idempotency-Key` request header for a route's `schema.headers`: it documents the header in the
 * OpenAPI document and answers 400 for a bad one. Loose, so the other headers stay on the request.
 */
export const IdempotencyKeyHeaders = z.looseObject({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(VISIBLE_ASCII, RULE)
    .optional()
    .describe('Retrying with the same key returns the job the first request queued instead of a new one'),
});

/** The request's `Idempotency-Key`, or undefined without one; 400 INVALID_INPUT when it is malformed. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !VISIBLE_ASCII.test(value)) {
    throw invalidInput(`Idempotency-Key ${RULE}`, [{ path: `headers.${IDEMPOTENCY_HEADER}`, message: RULE }]);
  }
  return value;
}

/**
 * The BullMQ job id for a keyed enqueue: the same key from the same user for the same job always names
 * the same job, and BullMQ's add returns that existing job instead of adding a second one.
 */
export function idempotentJobId(parts: { domain: string; queue: string; name: string; userId: string; key: string }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([parts.domain, parts.queue, parts.name, parts.userId, parts.key]))
    .digest('hex');
  return `idem-${digest}`;
}
