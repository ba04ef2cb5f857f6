import type { ContextToken, RuleSpec, TableSpec } from './format.js';

export type Target = 'ipa' | 'latin';
export type Script = 'Latn' | 'Cyrl' | 'Arab';

interface CompiledRule {
  source: string;
  output: string;
  /** Output in title and upper case, for tables that preserve case. */
  title: string;
  upper: string;
  left: Matcher[];
  right: Matcher[];
}

/** Checks one context token against the lower-cased input, ending (left) or starting (right) at `at`. */
type Matcher = (text: string, at: number) => number;

const LETTER = /[\p{L}\p{M}]/u;
const isLetter = (char: string | undefined) => char !== undefined && LETTER.test(char);

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
  private readonly byFirst = new Map<string, CompiledRule[]>();
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
    for (const { compiled: rule } of compiled) {
      const first = rule.source.charAt(0);
      const list = this.byFirst.get(first) ?? [];
      list.push(rule);
      this.byFirst.set(first, list);
    }
  }

  private compile(rule: RuleSpec, classes: Map<string, Set<string>>): CompiledRule {
    const source = this.lower(rule.source);
    const title = rule.output.length === 0 ? '' : this.upperFirst(rule.output);
    const upper = rule.output.toLocaleUpperCase(this.locale);
    const matcher = (token: ContextToken, side: 'left' | 'right'): Matcher => {
      if (token.kind === 'boundary') {
        return side === 'left'
          ? (text, at) => (isLetter(text[at - 1]) ? -1 : 0)
          : (text, at) => (isLetter(text[at]) ? -1 : 0);
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
      output: rule.output,
      title,
      upper,
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
   * (ШАХ → ŞAH), else title case (Шах → Şah).
   */
  private casedOutput(rule: CompiledRule, original: string, at: number): string {
    const first = original[at] ?? '';
    if (first === first.toLocaleLowerCase(this.locale) || rule.output.length === 0) return rule.output;
    const end = at + rule.source.length;
    const neighbour = isLetter(original[end]) ? original[end] : isLetter(original[at - 1]) ? original[at - 1] : undefined;
    const sourceUpper = rule.source.length > 1 && original[at + 1] !== original[at + 1]?.toLocaleLowerCase(this.locale);
    const wordUpper = neighbour !== undefined && neighbour !== neighbour.toLocaleLowerCase(this.locale);
    return sourceUpper || wordUpper ? rule.upper : rule.title;
  }

  /**
   * Applies the table left to right: at each position the longest source whose left and right contexts
   * match the (lower-cased) input wins. Unmatched characters pass through (lower-cased for IPA tables).
   * Works on UTF-16 units: sources are BMP only, so astral characters never match and pass through whole.
   */
  apply(input: string): string {
    const original = input.normalize('NFC');
    const lowered = this.lower(original);
    let out = '';
    let at = 0;
    while (at < original.length) {
      const candidates = this.byFirst.get(lowered.charAt(at));
      let matched: CompiledRule | undefined;
      if (candidates) {
        for (const rule of candidates) {
          if (this.matches(rule, lowered, at)) {
            matched = rule;
            break;
          }
        }
      }
      if (matched) {
        out += this.preserveCase ? this.casedOutput(matched, original, at) : matched.output;
        at += matched.source.length;
      } else {
        out += this.preserveCase ? original.charAt(at) : lowered.charAt(at);
        at += 1;
      }
    }
    return out.normalize('NFC');
  }
}
