import { logSoftmax, type LanguageModel, type LstmState } from './language-model.js';

interface TokenScore {
  id: number;
  text: string;
  /** -ln p(token | everything before it), in nats. */
  surprisal: number;
  top: { id: number; text: string; p: number }[];
}

export interface Score {
  loss: number;
  perplexity: number;
  tokens: TokenScore[];
}

const CHUNK = 512;

/**
 * Scores every token after the first. The GPT reads windows of its context length that overlap by
 * one token (so a token past the context sees only its own window); the LSTM reads the whole text
 * with its state carried between chunks.
 */
export async function scoreText(model: LanguageModel, text: string, topK: number): Promise<Score> {
  const ids = model.tokenizer.encode(text);
  if (ids.length < 2) throw new RangeError('the text must encode to at least two tokens');
  const scores: TokenScore[] = [];
  const vocab = model.tokenizer.vocabSize;
  const window = model.isLstm ? CHUNK : model.contextLength;
  let state: LstmState | undefined;
  for (let start = 0; start < ids.length - 1; start += window) {
    const fed = model.isLstm ? ids.slice(start, start + window) : ids.slice(start, start + window);
    const forward = await model.forward(fed, state);
    state = forward.state;
    for (let position = 0; position < fed.length && start + position + 1 < ids.length; position++) {
      const target = ids[start + position + 1] ?? 0;
      const logp = logSoftmax(forward.logits, position * model.vocabSize, vocab);
      const top = Array.from({ length: vocab }, (_, id) => id)
        .sort((a, b) => (logp[b] ?? 0) - (logp[a] ?? 0))
        .slice(0, topK);
      scores.push({
        id: target,
        text: model.tokenizer.tokenText(target),
        surprisal: -(logp[target] ?? -Infinity),
        top: top.map((id) => ({ id, text: model.tokenizer.tokenText(id), p: Math.exp(logp[id] ?? -Infinity) })),
      });
    }
  }
  const loss = scores.reduce((sum, token) => sum + token.surprisal, 0) / scores.length;
  return { loss, perplexity: Math.exp(loss), tokens: scores };
}
