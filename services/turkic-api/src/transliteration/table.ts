import type { ContextToken, RuleSpec, TableSpec } from './format.js';

export type Target = 'ipa' | 'latin';
export type Script = 'Latn' | 'Cyrl' | 'Arab';

interface CompiledRule {
  source: string;
  /** One character and no context: matches whenever it is reached. */
  simple: boolean;
  output: string;
  /** Output in title and upper case, for tables that preserve case. */
  title: string;
  upper: string;
  /** The three outputs as UTF-16 code units, copied straight into the output buffer. */
  units: Uint16Array;
  titleUnits: Uint16Array;
  upperUnits: Uint16Array;
  left: Matcher[];
  right: Matcher[];
}

/** Checks one context token against the lower-cased input, ending (left) or starting (right) at `at`. */
type Matcher = (text: string, at: number) => number;

const LETTER = /[\p{L}\p{M}]/u;
const toUnits = (text: string) => Uint16Array.from({ length: text.length }, (_, index) => text.charCodeAt(index));
const UTF16 = new TextDecoder('utf-16le');

/** 1 letter, 2 not, 0 not yet known: memoised per UTF-16 code for the hot loop. */
const letterCache = new Uint8Array(65536);
function isLetterCode(code: number): boolean {
  if (Number.isNaN(code)) return false;
  let known = letterCache[code] ?? 0;
  if (known === 0) {
    known = LETTER.test(String.fromCharCode(code)) ? 1 : 2;
    letterCache[code] = known;
  }
  return known === 1;
}

/**
 * One rule table, compiled: rules are grouped by their first character and ordered so that the first
 * candidate whose context matches is the longest source, then the most specific context, then file order.
 */
export class Table {
  readonly id: string;
  readonly language: string;
  readonly script: Script;
  readonly target: Target;
  readonly standard: string;
  readonly reference: string | undefined;
  readonly ruleCount: number;
  private readonly locale: string;
  private readonly preserveCase: boolean;
  /** Candidate rules by the UTF-16 code of their first (lower-case) character. */
  private readonly byFirst: (CompiledRule[] | undefined)[];
  private readonly lowerCache = new Map<string, string>();

  constructor(spec: TableSpec) {
    const directive = (name: string) => spec.directives.get(name) ?? '';
    this.id = spec.id;
    this.language = directive('language');
    this.script = directive('script') as Script;
    this.target = directive('target') as Target;
    this.standard = directive('standard');
    this.reference = spec.directives.get('reference');
    this.locale = spec.directives.get('locale') ?? 'und';
    this.preserveCase = (spec.directives.get('case') ?? (this.target === 'latin' ? 'preserve' : 'lower')) === 'preserve';
    this.ruleCount = spec.rules.length;

    const compiled = spec.rules.map((rule, order) => ({ rule, order, compiled: this.compile(rule, spec.classes) }));
    compiled.sort(
      (a, b) =>
        b.rule.source.length - a.rule.source.length ||
        b.rule.left.length + b.rule.right.length - (a.rule.left.length + a.rule.right.length) ||
        a.order - b.order,
    );
    // A dense array (filled up to the highest code) keeps V8 from switching to slow dictionary elements.
    const highest = Math.max(0, ...compiled.map(({ compiled: rule }) => rule.source.charCodeAt(0)));
    this.byFirst = new Array<CompiledRule[] | undefined>(highest + 1).fill(undefined);
    for (const { compiled: rule } of compiled) {
      const first = rule.source.charCodeAt(0);
      (this.byFirst[first] ??= []).push(rule);
    }
  }

  private compile(rule: RuleSpec, classes: Map<string, Set<string>>): CompiledRule {
    const source = this.lower(rule.source);
    const title = rule.output.length === 0 ? '' : this.upperFirst(rule.output);
    const upper = rule.output.toLocaleUpperCase(this.locale);
    const matcher = (token: ContextToken, side: 'left' | 'right'): Matcher => {
      if (token.kind === 'boundary') {
        return side === 'left'
          ? (text, at) => (isLetterCode(text.charCodeAt(at - 1)) ? -1 : 0)
          : (text, at) => (isLetterCode(text.charCodeAt(at)) ? -1 : 0);
      }
      if (token.kind === 'class') {
        const members = classes.get(token.name) ?? new Set<string>();
        const offset = side === 'left' ? -1 : 0;
        return (text, at) => {
          const char = text[at + offset];
          if (char === undefined) return -1;
          return members.has(char) !== token.negated ? 1 : -1;
        };
      }
      const literal = this.lower(token.text);
      return side === 'left'
        ? (text, at) => (at >= literal.length && text.startsWith(literal, at - literal.length) ? literal.length : -1)
        : (text, at) => (text.startsWith(literal, at) ? literal.length : -1);
    };
    return {
      source,
      simple: source.length === 1 && rule.left.length === 0 && rule.right.length === 0,
      output: rule.output,
      title,
      upper,
      units: toUnits(rule.output),
      titleUnits: toUnits(title),
      upperUnits: toUnits(upper),
      left: rule.left.map((token) => matcher(token, 'left')).reverse(),
      right: rule.right.map((token) => matcher(token, 'right')),
    };
  }

  private upperFirst(text: string): string {
    const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
    return first.toLocaleUpperCase(this.locale) + text.slice(first.length);
  }

  private lowerChar(char: string): string {
    let lowered = this.lowerCache.get(char);
    if (lowered === undefined) {
      const candidate = char.toLocaleLowerCase(this.locale);
      // Keep indexes aligned: a character whose lower case is longer (İ outside Turkic locales) stays as it is.
      lowered = candidate.length === char.length ? candidate : char;
      this.lowerCache.set(char, lowered);
    }
    return lowered;
  }

  /** Lower-cases without changing the length in UTF-16 units, so positions line up with the input. */
  private lower(text: string): string {
    const whole = text.toLocaleLowerCase(this.locale);
    if (whole.length === text.length) return whole;
    let out = '';
    for (const char of text) out += this.lowerChar(char);
    return out;
  }

  private matches(rule: CompiledRule, lowered: string, at: number): boolean {
    if (!lowered.startsWith(rule.source, at)) return false;
    let position = at;
    for (const matcher of rule.left) {
      const width = matcher(lowered, position);
      if (width < 0) return false;
      position -= width;
    }
    position = at + rule.source.length;
    for (const matcher of rule.right) {
      const width = matcher(lowered, position);
      if (width < 0) return false;
      position += width;
    }
    return true;
  }

  /**
   * Case of the output for a source written in upper case: all capitals inside an upper-case word
   * (ШАХ → ŞAH), else title case (Шах → Şah). A character is upper case when lower-casing changed it;
   * the caller has checked that the source's first character is.
   */
  private casedUnits(rule: CompiledRule, original: string, lowered: string, at: number): Uint16Array {
    const end = at + rule.source.length;
    const upperAt = (index: number) => original.charCodeAt(index) !== lowered.charCodeAt(index);
    const neighbour = isLetterCode(original.charCodeAt(end)) ? end : isLetterCode(original.charCodeAt(at - 1)) ? at - 1 : -1;
    const allCaps = (rule.source.length > 1 && upperAt(at + 1)) || (neighbour >= 0 && upperAt(neighbour));
    return allCaps ? rule.upperUnits : rule.titleUnits;
  }

  /**
   * Applies the table left to right: at each position the longest source whose left and right contexts
   * match the (lower-cased) input wins. Unmatched characters pass through (lower-cased for IPA tables).
   * Works on UTF-16 units: sources are BMP only, so astral characters never match and pass through whole.
   * The output is assembled in a code-unit buffer, which avoids one string allocation per character.
   */
  apply(input: string): string {
    const original = input.normalize('NFC');
    const lowered = this.lower(original);
    const source = this.preserveCase ? original : lowered;
    const byFirst = this.byFirst;
    let buffer = new Uint16Array(Math.max(16, Math.ceil(lowered.length * 1.5)));
    let length = 0;
    let at = 0;
    while (at < lowered.length) {
      const code = lowered.charCodeAt(at);
      const candidates = byFirst[code];
      let matched: CompiledRule | undefined;
      if (candidates !== undefined) {
        for (let index = 0; index < candidates.length; index++) {
          const rule = candidates[index];
          if (rule !== undefined && (rule.simple || this.matches(rule, lowered, at))) {
            matched = rule;
            break;
          }
        }
      }
      let units = matched?.units;
      if (matched !== undefined && this.preserveCase && original.charCodeAt(at) !== code) {
        units = this.casedUnits(matched, original, lowered, at);
      }
      const needed = length + (units ? units.length : 1);
      if (needed > buffer.length) {
        const grown = new Uint16Array(needed * 2);
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      if (matched === undefined || units === undefined) {
        buffer[length++] = source.charCodeAt(at);
        at += 1;
        continue;
      }
      // Outputs are a few units long: a plain loop beats TypedArray.set's call overhead.
      for (let index = 0; index < units.length; index++) buffer[length++] = units[index] ?? 0;
      at += matched.source.length;
    }
    return UTF16.decode(buffer.subarray(0, length)).normalize('NFC');
  }
}
