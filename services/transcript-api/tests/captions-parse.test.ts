import { describe, expect, it } from 'vitest';
import { cleanText, mergeRollingDuplicates, tidySegments } from '../src/services/captions/clean.js';
import { parseCaptions, parseVtt } from '../src/services/captions/parse.js';
import { render, toSrt, toVtt } from '../src/services/formats.js';
import { captionFixture } from '../testing/index.js';

describe('caption parsers on real-world files', () => {
  it('merges the rolling duplicates of YouTube auto-caption WebVTT', async () => {
    const segments = tidySegments(mergeRollingDuplicates(parseCaptions(await captionFixture('auto-rolling.en.vtt'))));
    expect(segments.map((s) => s.text)).toEqual([
      "so today we're going to talk",
      'about the weather & climate',
      'and why it changes',
      'no no really',
    ]);
    expect(segments[0]).toMatchObject({ start: 0 });
    // The repeat-only cue extended the first one, then the next cue cut it.
    expect(segments[0]?.end).toBeCloseTo(2.879, 3);
    expect(segments[3]).toMatchObject({ start: 8, end: 10 });
  });

  it('keeps rolling text untouched without the merge (manual tracks are not merged)', async () => {
    const raw = parseVtt(await captionFixture('auto-rolling.en.vtt'));
    expect(raw).toHaveLength(6);
    expect(raw[2]?.text).toBe("so today we're going to talk about the weather & climate");
  });

  it('reads json3 with entities, skipping window and newline events', async () => {
    const segments = parseCaptions(await captionFixture('auto.en.json3'));
    expect(segments).toEqual([
      { start: 0.08, end: 4.4, text: "so today we're going" },
      { start: 2.879, end: 5.879, text: 'to talk about' },
      { start: 4.4, end: 6.4, text: '[Music]' },
    ]);
    expect(tidySegments(segments)[0]?.end).toBe(2.879);
  });

  it('reads srv3 XML: tags written as entities, font tags and line breaks', async () => {
    expect(parseCaptions(await captionFixture('manual.de.srv3.xml'))).toEqual([
      { start: 1.2, end: 3.7, text: 'Guten Tag, liebe Zuschauer!' },
      { start: 3.7, end: 6.8, text: "Heute geht's um Tom & Jerry und mehr." },
    ]);
  });

  it('reads srv1 XML with its doubly escaped entities', async () => {
    expect(parseCaptions(await captionFixture('manual.en.srv1.xml'))).toEqual([
      { start: 0.5, end: 2.75, text: "I'm here & ready" },
      { start: 2.75, end: 5.75, text: 'second line continues' },
    ]);
  });

  it('rejects what is not timed text, and bad timestamps', () => {
    expect(() => parseCaptions('hello')).toThrow(/unknown caption format/);
    expect(() => parseCaptions('<html><body>blocked</body></html>')).toThrow(/unknown timed text/);
    expect(() => parseVtt('WEBVTT\n\n00:00:xx.000 --> 00:00:01.000\nhi')).toThrow(/invalid WebVTT timestamp/);
  });
});

describe('text clean-up and merging', () => {
  it('removes tags, decodes entities and collapses whitespace', () => {
    expect(cleanText('  <b>a</b>&nbsp;&nbsp;b\n\n c &lt;i&gt;d&lt;/i&gt; 5 &lt; 6 ')).toBe('a b c d 5 < 6');
  });

  it('keeps a single repeated word between segments (it is speech, not a rolling line)', () => {
    const merged = mergeRollingDuplicates([
      { start: 0, end: 1, text: 'I said no' },
      { start: 1, end: 2, text: 'no way' },
    ]);
    expect(merged.map((s) => s.text)).toEqual(['I said no', 'no way']);
  });
});

describe('subtitle output', () => {
  const segments = [
    { start: 0.5, end: 2.25, text: 'first' },
    { start: 3661.001, end: 3662, text: 'second' },
  ];
  it('writes SRT', () => {
    expect(toSrt(segments)).toBe('1\n00:00:00,500 --> 00:00:02,250\nfirst\n\n2\n01:01:01,001 --> 01:01:02,000\nsecond\n');
  });
  it('writes WebVTT that our parser reads back', () => {
    const vtt = toVtt(segments);
    expect(vtt.startsWith('WEBVTT\n\n00:00:00.500 --> 00:00:02.250\nfirst\n')).toBe(true);
    expect(parseVtt(vtt)).toEqual(segments);
  });
  it('writes plain text', () => {
    expect(render('txt', segments)).toBe('first second\n');
  });
});
