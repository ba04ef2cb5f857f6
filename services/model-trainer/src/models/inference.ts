import { z } from 'zod';

export const GenerateBody = (maxTokens: number) =>
  z.object({
    prompt: z.string().max(100_000).default(''),
    max_tokens: z.number().int().min(1).max(maxTokens).default(Math.min(200, maxTokens)),
    temperature: z.number().min(0).max(5).default(0.8),
    top_k: z.number().int().min(1).max(65_536).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    stop: z.array(z.string().min(1).max(200)).max(8).optional(),
  });

export const Generated = z.object({
  run_id: z.string(),
  text: z.string(),
  tokens: z.array(z.number()),
  finish_reason: z.enum(['length', 'stop']),
});

export const ScoreBody = (maxChars: number) =>
  z.object({
    text: z.string().min(1).max(maxChars),
    top_k: z.number().int().min(0).max(20).default(5),
  });

export const ScoreView = z.object({
  run_id: z.string(),
  loss: z.number(),
  perplexity: z.number(),
  tokens: z.array(z.object({
    id: z.number(),
    text: z.string(),
    surprisal: z.number(),
    top: z.array(z.object({ id: z.number(), text: z.string(), p: z.number() })),
  })),
});

export const ChatBody = (maxTokens: number) =>
  GenerateBody(maxTokens).omit({ prompt: true }).extend({
    /** Absent: a new session. */
    session_id: z.uuid().optional(),
    message: z.string().min(1).max(10_000),
  });

export const ChatView = z.object({
  session_id: z.string(),
  run_id: z.string(),
  reply: z.string(),
  turns: z.array(z.object({ role: z.enum(['user', 'model']), text: z.string() })),
});
