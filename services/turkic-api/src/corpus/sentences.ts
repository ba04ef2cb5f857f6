const LETTER = /\p{L}/u;

/** Splits running text into trimmed sentences with the language's Unicode sentence rules. */
export class SentenceSplitter {
  private readonly segmenter: Intl.Segmenter;

  constructor(language: string) {
    this.segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
  }

  *split(text: string): Generator<string> {
    for (const paragraph of text.split(/\n\s*\n|\r?\n/)) {
      for (const { segment } of this.segmenter.segment(paragraph)) {
        const sentence = segment.replace(/\s+/g, ' ').trim();
        if (sentence.length > 0 && LETTER.test(sentence)) yield sentence;
      }
    }
  }
}
