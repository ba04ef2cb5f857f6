import * as fasttext from 'fasttext.wasm.js';

// The package's own .d.ts files use extension-less imports that NodeNext cannot follow, so the few
// members used here are declared locally.
interface Vector<T> {
  size(): number;
  get(index: number): T;
  delete(): void;
}
interface FastTextModel {
  predict(text: string, k: number, threshold: number): Vector<[probability: number, label: string]>;
}
interface LanguageIdentificationModel {
  load(): Promise<FastTextModel>;
}
const getLIDModel = (fasttext as unknown as { getLIDModel: (options: { modelPath?: string }) => Promise<LanguageIdentificationModel> })
  .getLIDModel;
import { pathToFileURL } from 'node:url';
import { dominantScript } from './scripts.js';

export interface Candidate {
  language: string;
  confidence: number;
}

export interface Detection {
  language: string;
  script: string | null;
  confidence: number;
  candidates: Candidate[];
}

/** Rounds confidences so that answers are stable and short. */
const round = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Language identification with a fastText model (lid.176.ftz bundled with fasttext.wasm.js unless a path
 * to another model is given) plus script identification from the text's own characters.
 */
export class Detector {
  private model: Promise<FastTextModel> | undefined;

  constructor(private readonly modelPath?: string) {}

  /** Loads the model once; later calls share it. */
  load(): Promise<FastTextModel> {
    this.model ??= (async () => {
      const lid: LanguageIdentificationModel = await getLIDModel(this.modelPath ? { modelPath: pathToFileURL(this.modelPath).href } : {});
      return lid.load();
    })();
    return this.model;
  }

  async candidates(text: string, topK: number): Promise<Candidate[]> {
    const model = await this.load();
    // fastText reads one line; newlines would end the input early.
    const vector = model.predict(text.replace(/\s+/g, ' ').trim(), topK, 0);
    try {
      const out: Candidate[] = [];
      for (let index = 0; index < vector.size(); index++) {
        const [probability, label] = vector.get(index);
        out.push({ language: label.replace(/^__label__/, '').replace(/_.*$/, ''), confidence: round(Math.min(1, probability)) });
      }
      return out;
    } finally {
      vector.delete();
    }
  }

  async detect(text: string, topK = 3): Promise<Detection> {
    const candidates = await this.candidates(text, topK);
    const best = candidates[0];
    return {
      language: best?.language ?? 'und',
      script: dominantScript(text) ?? null,
      confidence: best?.confidence ?? 0,
      candidates,
    };
  }
}
