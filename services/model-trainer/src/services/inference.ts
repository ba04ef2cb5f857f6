import { AppError } from '@platform/core';
import { chatPrompt, type ChatSession, type ChatStore } from './chat-store.js';
import { generateText, type SamplingOptions } from './generate.js';
import type { LanguageModel } from './language-model.js';
import type { ModelServer } from './model-server.js';
import { findRun, type RunStore } from './run-store.js';

export interface InferenceDeps {
  store: RunStore;
  chats: ChatStore;
  models: ModelServer;
}

/** The loaded model of a completed run; 409 while the run has none. */
export async function servedModel(deps: Pick<InferenceDeps, 'store' | 'models'>, runId: string): Promise<LanguageModel> {
  const record = await findRun(deps.store, runId);
  if (record.status !== 'completed' || !record.artifact)
    throw new AppError('CONFLICT', `Run ${runId} is ${record.status}: it has no model to serve yet`);
  return deps.models.get(runId);
}

/**
 * One chat turn: the session (new when `sessionId` is absent) is the prompt, the answer stops at a
 * blank line, and both turns are saved with the session.
 */
export async function chatTurn(
  deps: InferenceDeps,
  runId: string,
  turn: { sessionId: string | undefined; message: string; options: SamplingOptions },
): Promise<{ session: ChatSession; reply: string }> {
  const model = await servedModel(deps, runId);
  const session = turn.sessionId === undefined ? deps.chats.create(runId) : await deps.chats.get(turn.sessionId);
  if (session?.run_id !== runId) throw new AppError('NOT_FOUND', `No chat session ${turn.sessionId ?? ''} for run ${runId}`);
  session.turns.push({ role: 'user', text: turn.message });
  const { text } = await generateText(model, chatPrompt(session.turns), { ...turn.options, stop: ['\n\n', ...(turn.options.stop ?? [])] });
  session.turns.push({ role: 'model', text });
  await deps.chats.save(session);
  return { session, reply: text };
}

/** `n` seeded samples (seeds `seed`, `seed + 1`, ...) from a run its owner made public; any other run is a 404. */
export async function publicSamples(
  deps: Pick<InferenceDeps, 'store' | 'models'>,
  runId: string,
  query: { prompt: string; n: number; max_tokens: number; seed: number },
): Promise<string[]> {
  const record = await deps.store.get(runId);
  if (!record?.public) throw new AppError('NOT_FOUND', `No public run ${runId}`);
  const model = await servedModel(deps, runId);
  const samples: string[] = [];
  for (let i = 0; i < query.n; i++) {
    samples.push((await generateText(model, query.prompt, { max_tokens: query.max_tokens, temperature: 0.8, seed: query.seed + i })).text);
  }
  return samples;
}
