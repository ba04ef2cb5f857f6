import { AppError } from '@platform/core';
import type { Queue } from 'bullmq';
import { wordCountJob } from '../jobs/word-count.js';

export interface WordCountsDeps {
  queue: Queue;
  maxTextChars: number;
}

/** Queues a word count of the user's text; returns the job id (the same for a repeated idempotency key). */
export async function startWordCount(
  deps: WordCountsDeps,
  userId: string,
  text: string,
  idempotencyKey: string | undefined,
): Promise<string> {
  if (text.length > deps.maxTextChars) throw new AppError('INVALID_INPUT', `The text is longer than ${deps.maxTextChars} characters`);
  return wordCountJob.enqueue(deps.queue, { user_id: userId, text }, { idempotencyKey });
}
