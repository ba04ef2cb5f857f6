import { isLetterCode, lowerCaseMap, lowerText, type LowerCaseMap } from './casing.js';
import type { ContextToken, RuleSpec, Script, TableSpec, Target } from './format.js';

/**
 * Checks one context token against the lower-cased input units (`end` of them), ending (left) or
 * starting (right) at `at`: the token's width, or -1 when it does not match.
 */
type Matcher = (lowered: Uint16Array, end: number, at: number) => number;

interface CompiledRule {
  /** The lower-cased source as UTF-16 units. */
  source: Uint16Array;
  /** One character and no context: matches whenever it is reached. */
  simple: boolean;
  /** The output in lower, title and upper case (the last two for tables that preserve case), as UTF-16 units. */
  units: Uint16Array;
  titleUnits: Uint16Array;
  upperUnits: Uint16Array;
  left: Matcher[];
  right: Matcher[];
}

const toUnits = (text: string) => Uint16Array.from({ length: text.length }, (_, index) => text.charCodeAt(index));

/** Whether `units` occur in `lowered` from `at` (within its first `end` units). */
function unitsAt(units: Uint16Array, lowered: Uint16Array, end: number, at: number): boolean {
  if (at < 0 || at + units.length > end) return false;
  for (let index = 0; index < units.length; index++) if (lowered[at + index] !== units[index]) return false;
  return true;
}

/** A class as a dense membership array indexed by UTF-16 code (members are single units). */
function classSet(members: Set<string>): Uint8Array {
  const codes = [...members].map((member) => member.charCodeAt(0));
  const set = new Uint8Array(Math.max(0, ...codes) + 1);
  for (const code of codes) set[code] = 1;
  return set;
}

/**
 * Scratch buffers shared by every table (`apply` runs synchronously, one call at a time). Buffers up to
 * KEEP_UNITS (8 MB each) are kept between calls; larger ones are left to the collector.
 */
const KEEP_UNITS = 1 << 22;
const scratch = { lowered: new Uint16Array(0), output: new Uint16Array(0) };

/**
 * One rule table, compiled: rules are grouped by the UTF-16 code of their first character and ordered so
 * that the first candidate whose context matches is the longest source, then the most specific context,
 * then file order. Matching runs on code units in typed arrays: no per-character strings or case-mapping calls.
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
  private readonly lowerCase: LowerCaseMap;
  private readonly preserveCase: boolean;
  /** Candidate rules by the UTF-16 code of their first (lower-case) character, dense up to the highest. */
  private readonly byFirst: (CompiledRule[] | undefined)[];
  /** The most output units a rule writes per input unit, which sizes the output buffer. */
  private readonly maxExpansion: number;

  constructor(spec: TableSpec) {
    const directive = (name: string) => spec.directives.get(name) ?? '';
    this.id = spec.id;
    this.language = directive('language');
    this.script = spec.script;
    this.target = spec.target;
    this.standard = directive('standard');
    this.reference = spec.directives.get('reference');
    this.locale = spec.directives.get('locale') ?? 'und';
    this.lowerCase = lowerCaseMap(this.locale);
    this.preserveCase = (spec.directives.get('case') ?? (this.target === 'latin' ? 'preserve' : 'lower')) === 'preserve';
    this.ruleCount = spec.rules.length;

    const sets = new Map([...spec.classes].map(([name, members]) => [name, classSet(members)]));
    const compiled = spec.rules.map((rule, order) => ({ rule, order, compiled: this.compile(rule, sets) }));
    compiled.sort(
      (a, b) =>
        b.rule.source.length - a.rule.source.length ||
        b.rule.left.length + b.rule.right.length - (a.rule.left.length + a.rule.right.length) ||
        a.order - b.order,
    );
    // A dense array (filled up to the highest code) keeps V8 from switching to slow dictionary elements.
    const highest = Math.max(0, ...compiled.map(({ compiled: rule }) => rule.source[0] ?? 0));
    this.byFirst = new Array<CompiledRule[] | undefined>(highest + 1).fill(undefined);
    for (const { compiled: rule } of compiled) (this.byFirst[rule.source[0] ?? 0] ??= []).push(rule);
    this.maxExpansion = Math.max(
      1,
      ...compiled.map(
        ({ compiled: rule }) => Math.max(rule.units.length, rule.titleUnits.length, rule.upperUnits.length) / rule.source.length,
      ),
    );
  }

  private compile(rule: RuleSpec, sets: Map<string, Uint8Array>): CompiledRule {
    const matcher = (token: ContextToken, side: 'left' | 'right'): Matcher => {
      if (token.kind === 'boundary') {
        return side === 'left'
          ? (lowered, _end, at) => (at > 0 && isLetterCode(lowered[at - 1] ?? 0) ? -1 : 0)
          : (lowered, end, at) => (at < end && isLetterCode(lowered[at] ?? 0) ? -1 : 0);
      }
      if (token.kind === 'class') {
        const set = sets.get(token.name) ?? new Uint8Array(0);
        const negated = token.negated;
        const offset = side === 'left' ? -1 : 0;
        return (lowered, end, at) => {
          const index = at + offset;
          if (index < 0 || index >= end) return -1;
          return (set[lowered[index] ?? 0] === 1) !== negated ? 1 : -1;
        };
      }
      const literal = toUnits(lowerText(token.text, this.locale));
      const width = literal.length;
      return side === 'left'
        ? (lowered, end, at) => (unitsAt(literal, lowered, end, at - width) ? width : -1)
        : (lowered, end, at) => (unitsAt(literal, lowered, end, at) ? width : -1);
    };
    const source = lowerText(rule.source, this.locale);
    const title = rule.output.length === 0 ? '' : this.upperFirst(rule.output);
    return {
      source: toUnits(source),
      simple: source.length === 1 && rule.left.length === 0 && rule.right.length === 0,
      units: toUnits(rule.output),
      titleUnits: toUnits(title),
      upperUnits: toUnits(rule.output.toLocaleUpperCase(this.locale)),
      left: rule.left.map((token) => matcher(token, 'left')).reverse(),
      right: rule.right.map((token) => matcher(token, 'right')),
    };
  }

  private upperFirst(text: string): string {
    const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
    return first.toLocaleUpperCase(this.locale) + text.slice(first.length);
  }

  private matches(rule: CompiledRule, lowered: Uint16Array, end: number, at: number): boolean {
    const source = rule.source;
    if (at + source.length > end) return false;
    // The first unit already matched: rules are looked up by it.
    for (let index = 1; index < source.length; index++) if (lowered[at + index] !== source[index]) return false;
    let position = at;
    for (const matcher of rule.left) {
      const width = matcher(lowered, end, position);
      if (width < 0) return false;
      position -= width;
    }
    position = at + source.length;
    for (const matcher of rule.right) {
      const width = matcher(lowered, end, position);
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
  private casedUnits(rule: CompiledRule, original: string, lowered: Uint16Array, at: number): Uint16Array {
    const end = at + rule.source.length;
    const upperAt = (index: number) => original.charCodeAt(index) !== lowered[index];
    const neighbour =
      end < original.length && isLetterCode(original.charCodeAt(end))
        ? end
        : at > 0 && isLetterCode(original.charCodeAt(at - 1))
          ? at - 1
          : -1;
    const allCaps = (rule.source.length > 1 && upperAt(at + 1)) || (neighbour >= 0 && upperAt(neighbour));
    return allCaps ? rule.upperUnits : rule.titleUnits;
  }

  /** The input lower-cased into the shared code-unit buffer. */
  private lowerUnits(original: string): Uint16Array {
    const lowered = scratch.lowered.length >= original.length ? scratch.lowered : new Uint16Array(original.length);
    if (lowered.length <= KEEP_UNITS) scratch.lowered = lowered;
    if (!this.lowerCase.fill(original, lowered)) {
      const text = lowerText(original, this.locale);
      for (let index = 0; index < text.length; index++) lowered[index] = text.charCodeAt(index);
    }
    return lowered;
  }

  private outputUnits(length: number): Uint16Array {
    const needed = Math.ceil(length * this.maxExpansion);
    const output = scratch.output.length >= needed ? scratch.output : new Uint16Array(needed);
    if (output.length <= KEEP_UNITS) scratch.output = output;
    return output;
  }

  /**
   * Applies the table left to right: at each position the longest source whose left and right contexts
   * match the (lower-cased) input wins. Unmatched characters pass through (lower-cased for IPA tables).
   * Works on UTF-16 units: sources are BMP only, so astral characters never match and pass through whole.
   */
  apply(input: string): string {
    const original = input.normalize('NFC');
    const end = original.length;
    const lowered = this.lowerUnits(original);
    const output = this.outputUnits(end);
    const preserveCase = this.preserveCase;
    const byFirst = this.byFirst;
    let length = 0;
    let at = 0;
    while (at < end) {
      const code = lowered[at] ?? 0;
      const candidates = code < byFirst.length ? byFirst[code] : undefined;
      let matched: CompiledRule | undefined;
      if (candidates !== undefined) {
        for (let index = 0; index < candidates.length; index++) {
          const rule = candidates[index];
          if (rule !== undefined && (rule.simple || this.matches(rule, lowered, end, at))) {
            matched = rule;
            break;
          }
        }
      }
      if (matched === undefined) {
        output[length++] = preserveCase ? original.charCodeAt(at) : code;
        at += 1;
        continue;
      }
      const units = preserveCase && original.charCodeAt(at) !== code ? this.casedUnits(matched, original, lowered, at) : matched.units;
      // Outputs are a few units long: a plain loop beats TypedArray.set's call overhead.
      for (let index = 0; index < units.length; index++) output[length++] = units[index] ?? 0;
      at += matched.source.length;
    }
    // Buffer's UTF-16 decoder is several times faster than TextDecoder's; both read little-endian units.
    return Buffer.from(output.buffer, output.byteOffset, length * 2)
      .toString('utf16le')
      .normalize('NFC');
  }
}
