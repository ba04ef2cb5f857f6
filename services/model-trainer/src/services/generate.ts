import { seededRandom } from './corpus/split.js';
import { logSoftmax, type LanguageModel, type LstmState } from './language-model.js';

export interface SamplingOptions {
  max_tokens: number;
  temperature: number;
  top_k?: number | undefined;
  top_p?: number | undefined;
  seed?: number | undefined;
  stop?: string[] | undefined;
}

/** Picks the next id: greedy at temperature 0, else temperature, then top-k, then nucleus (top-p). */
function sampleNext(logits: Float32Array, offset: number, size: number, options: SamplingOptions, random: () => number): number {
  if (options.temperature === 0) {
    let best = 0;
    for (let i = 1; i < size; i++) if ((logits[offset + i] ?? -Infinity) > (logits[offset + best] ?? -Infinity)) best = i;
    return best;
  }
  const scaled = new Float32Array(size);
  for (let i = 0; i < size; i++) scaled[i] = (logits[offset + i] ?? 0) / options.temperature;
  const logp = logSoftmax(scaled, 0, size);
  let order = Array.from({ length: size }, (_, i) => i).sort((a, b) => (logp[b] ?? 0) - (logp[a] ?? 0));
  if (options.top_k !== undefined) order = order.slice(0, options.top_k);
  if (options.top_p !== undefined) {
    let mass = 0;
    let keep = 0;
    while (keep < order.length && (keep === 0 || mass < options.top_p)) mass += Math.exp(logp[order[keep++] ?? 0] ?? -Infinity);
    order = order.slice(0, keep);
  }
  const weights = order.map((id) => Math.exp(logp[id] ?? -Infinity));
  let pick = random() * weights.reduce((sum, weight) => sum + weight, 0);
  for (let i = 0; i < order.length; i++) {
    pick -= weights[i] ?? 0;
    if (pick <= 0) return order[i] ?? 0;
  }
  return order.at(-1) ?? 0;
}

export interface GenerationStep {
  token: number;
  /** New text since the previous step ('' while a multi-byte character is incomplete). */
  delta: string;
}

export interface Generated {
  text: string;
  tokens: number[];
  finish_reason: 'length' | 'stop';
}

/**
 * Generates after `prompt`, yielding each token as it comes (for server-sent events) and returning
 * the whole text, cut before the first stop string. The LSTM feeds the prompt once, then one token at
 * a time with its state; the GPT re-reads its (cropped) window each step: the export has no KV cache.
 */
export async function* generate(model: LanguageModel, prompt: string, options: SamplingOptions): AsyncGenerator<GenerationStep, Generated> {
  const random = seededRandom(options.seed ?? Math.floor(Math.random() * 2 ** 31));
  const context = model.tokenizer.encode(prompt);
  if (context.length === 0) context.push(...model.tokenizer.encode('\n'));
  const tokens: number[] = [];
  let state: LstmState | undefined;
  let pending = context;
  let text = '';
  const stops = (options.stop ?? []).filter((stop) => stop !== '');
  while (tokens.length < options.max_tokens) {
    const forward = await model.forward(model.isLstm ? pending : [...context, ...tokens], state);
    state = forward.state;
    const offset = (forward.positions - 1) * model.vocabSize;
    const token = sampleNext(forward.logits, offset, model.tokenizer.vocabSize, options, random);
    tokens.push(token);
    pending = [token];
    const decoded = model.tokenizer.decode(tokens);
    const stopAt = stops
      .map((stop) => decoded.indexOf(stop))
      .filter((index) => index >= 0)
      .sort((a, b) => a - b)[0];
    if (stopAt !== undefined) {
      const cut = decoded.slice(0, stopAt);
      if (cut.length > text.length) yield { token, delta: cut.slice(text.length) };
      return { text: cut, tokens, finish_reason: 'stop' };
    }
    // A trailing U+FFFD is an incomplete UTF-8 sequence: its text comes with the next token.
    const settled = decoded.endsWith('\uFFFD') ? text : decoded;
    yield { token, delta: settled.slice(text.length) };
    text = settled;
  }
  return { text: model.tokenizer.decode(tokens), tokens, finish_reason: 'length' };
}

/** `generate` run to the end, for answers that are not streamed. */
export async function generateText(model: LanguageModel, prompt: string, options: SamplingOptions): Promise<Generated> {
  const steps = generate(model, prompt, options);
  let next = await steps.next();
  while (!next.done) next = await steps.next();
  return next.value;
}
