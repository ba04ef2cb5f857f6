import { z } from 'zod';
import { optionsShape } from './options.js';
import { payloadSchema, urlString } from './payload.js';
import { rejectLoneSurrogates } from './unicode.js';

/** The rules that span a request's fields: exactly one payload, and only text UTF-8 can carry. */
const checkRequest = (body: { data?: unknown; url?: unknown }, ctx: z.RefinementCtx) => {
  if ((body.data === undefined) === (body.url === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['data'], message: 'give exactly one of data or the url shorthand' });
  }
  rejectLoneSurrogates(body, ctx);
};

const requestShape = {
  data: payloadSchema.optional(),
  url: urlString.optional().describe('shorthand for data: {type: "url", url}'),
  ...optionsShape(false),
};

export const qrRequestSchema = z.strictObject(requestShape).superRefine(checkRequest);

export const qrQuerySchema = z.strictObject({ url: urlString, ...optionsShape(true) }).superRefine((query, ctx) => {
  rejectLoneSurrogates(query, ctx);
});

export const BATCH_MAX_ITEMS = 100;

const batchItemSchema = z
  .strictObject({
    ...requestShape,
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1..100 letters, digits, dots, dashes or underscores')
      .optional()
      .describe('file name in the zip, without extension (default qr-001, qr-002, ...)'),
  })
  .superRefine(checkRequest);
export type BatchItem = z.output<typeof batchItemSchema>;

export const batchRequestSchema = z.strictObject({
  items: z.array(batchItemSchema).min(1).max(BATCH_MAX_ITEMS, `must hold at most ${BATCH_MAX_ITEMS} items`),
});
