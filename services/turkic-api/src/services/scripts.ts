/** ISO 15924 codes of the scripts we name; any other letter counts as `Zyyy` (other). */
const SCRIPTS: [code: string, pattern: RegExp][] = [
  ['Latn', /\p{Script=Latin}/u],
  ['Cyrl', /\p{Script=Cyrillic}/u],
  ['Arab', /\p{Script=Arabic}/u],
  ['Grek', /\p{Script=Greek}/u],
  ['Hani', /\p{Script=Han}/u],
  ['Hebr', /\p{Script=Hebrew}/u],
  ['Geor', /\p{Script=Georgian}/u],
  ['Armn', /\p{Script=Armenian}/u],
];
const LETTER = /\p{L}/u;

/** Counts the letters of each script in the text. */
function scriptCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const char of text) {
    if (!LETTER.test(char)) continue;
    const code = SCRIPTS.find(([, pattern]) => pattern.test(char))?.[0] ?? 'Zyyy';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

/** The script most of the text's letters are written in, or undefined when it has no letters. */
export function dominantScript(text: string): string | undefined {
  let best: [string, number] | undefined;
  for (const entry of scriptCounts(text)) if (!best || entry[1] > best[1]) best = entry;
  return best?.[0];
}
