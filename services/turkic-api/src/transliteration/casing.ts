/**
 * Case mapping and letter tests on UTF-16 code units, memoised in typed arrays for the engine's hot loop.
 * Lower-casing never changes a text's length, so positions in the lower-cased text line up with the input.
 */

const LETTER = /[\p{L}\p{M}]/u;

/** 1 letter, 2 not, 0 not yet known, per UTF-16 code. */
const letterCache = new Uint8Array(65536);

export function isLetterCode(code: number): boolean {
  let known = letterCache[code] ?? 0;
  if (known === 0) {
    known = LETTER.test(String.fromCharCode(code)) ? 1 : 2;
    letterCache[code] = known;
  }
  return known === 1;
}

function lowerChar(char: string, locale: string): string {
  const lowered = char.toLocaleLowerCase(locale);
  // A character whose lower case is longer (İ outside Turkic locales) stays as it is.
  return lowered.length === char.length ? lowered : char;
}

/** Lower-cases a whole string without changing its length in UTF-16 units. */
export function lowerText(text: string, locale: string): string {
  const whole = text.toLocaleLowerCase(locale);
  if (whole.length === text.length) return whole;
  let out = '';
  for (const char of text) out += lowerChar(char, locale);
  return out;
}

const UNKNOWN = 0;
/** The unit's lower case depends on its neighbours: final sigma, and I + combining dot above in Turkic locales. */
const CONTEXTUAL = -1;
/** A high surrogate: the pair decides. */
const HIGH_SURROGATE = -2;

/**
 * Lower case of each UTF-16 unit in one locale, learnt on first use (the unit's lower case + 1 once known),
 * so that a text is lower-cased by table look-ups instead of a case-mapping call.
 */
export class LowerCaseMap {
  private readonly map = new Int32Array(65536);
  /** Astral code points: whether lower-casing leaves them unchanged. */
  private readonly caseless = new Map<number, boolean>();

  constructor(readonly locale: string) {}

  private learn(unit: number): number {
    let value: number;
    if (unit === 0x03a3 || unit === 0x0307) value = CONTEXTUAL;
    else if (unit >= 0xd800 && unit <= 0xdbff) value = HIGH_SURROGATE;
    else value = lowerChar(String.fromCharCode(unit), this.locale).charCodeAt(0) + 1;
    this.map[unit] = value;
    return value;
  }

  private isCaseless(codePoint: number): boolean {
    let known = this.caseless.get(codePoint);
    if (known === undefined) {
      const char = String.fromCodePoint(codePoint);
      known = char.toLocaleLowerCase(this.locale) === char;
      this.caseless.set(codePoint, known);
    }
    return known;
  }

  /**
   * Writes the lower case of `text` into `out`, unit by unit, exactly as `lowerText` would. Returns false,
   * leaving `out` partly written, when a unit's lower case depends on context: the caller uses `lowerText`.
   */
  fill(text: string, out: Uint16Array): boolean {
    const map = this.map;
    for (let at = 0; at < text.length; at++) {
      const unit = text.charCodeAt(at);
      let value = map[unit] ?? UNKNOWN;
      if (value === UNKNOWN) value = this.learn(unit);
      if (value > 0) {
        out[at] = value - 1;
        continue;
      }
      if (value === CONTEXTUAL) return false;
      const codePoint = text.codePointAt(at) ?? unit;
      if (codePoint > 0xffff) {
        if (!this.isCaseless(codePoint)) return false;
        out[at] = unit;
        at += 1;
        out[at] = text.charCodeAt(at);
      } else {
        out[at] = unit; // a lone high surrogate
      }
    }
    return true;
  }
}

const maps = new Map<string, LowerCaseMap>();

/** The shared map of a locale: tables with the same locale learn together. */
export function lowerCaseMap(locale: string): LowerCaseMap {
  let map = maps.get(locale);
  if (map === undefined) {
    map = new LowerCaseMap(locale);
    maps.set(locale, map);
  }
  return map;
}
