import { handleJob, UserError } from '@platform/workers';
import { wordCountJob } from '../jobs/word-count.js';

/** Counts the words of a text (the worker process only: a real handler gets its providers here). */
export function wordCountHandler() {
  return handleJob(wordCountJob, async (data, context) => {
    const words = data.text.split(/\s+/).filter(Boolean);
    // The input's fault: failed as a `user` error, never retried.
    if (words.length === 0) throw new UserError('the text has no words');
    await context.progress(50, 'counted');
    const longest = words.reduce((best, word) => (word.length > best.length ? word : best), '');
    return { result: { words: words.length, longest } };
  });
}
