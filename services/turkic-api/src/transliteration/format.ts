/**
 * Parser of the rule-table format (documented in rules/README.md).
 *
 *   @directive value            header: standard, language, script, target, locale, case, class
 *   src > out                   plain rule
 *   src > out / left _ right    context rule; left/right are space-separated tokens:
 *                               `#` word boundary, `@Name` one character of a class, `!@Name` one character
 *                               outside it, anything else a literal string
 *   # comment                   whole-line comments only (`#` is the boundary token inside rules)
 */

export type ContextToken = { kind: 'boundary' } | { kind: 'class'; name: string; negated: boolean } | { kind: 'literal'; text: string };

export interface RuleSpec {
  line: number;
  source: string;
  output: string;
  left: ContextToken[];
  right: ContextToken[];
}

const SCRIPTS = ['Latn', 'Cyrl', 'Arab'] as const;
export type Script = (typeof SCRIPTS)[number];
export const TARGETS = ['ipa', 'latin'] as const;
export type Target = (typeof TARGETS)[number];

export interface TableSpec {
  id: string;
  /** `@script` and `@target`, checked against the values the service knows. */
  script: Script;
  target: Target;
  directives: Map<string, string>;
  classes: Map<string, Set<string>>;
  rules: RuleSpec[];
}

class RuleSyntaxError extends Error {
  constructor(table: string, line: number, reason: string) {
    super(`${table}.rules line ${line}: ${reason}`);
    this.name = 'RuleSyntaxError';
  }
}

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => values.some((known) => known === value);

const DIRECTIVES = new Set(['standard', 'reference', 'language', 'script', 'target', 'locale', 'case', 'class']);

/** `\uXXXX` and `\<char>` escapes let a rule name spaces, `#`, `>`, `/`, `_` or invisible characters. */
function unescape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\(.)/g, (_, hex: string | undefined, char: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (char ?? ''),
  );
}

/** Splits on unescaped whitespace. */
function tokens(text: string): string[] {
  return text.match(/(?:\\.|[^\s\\])+/g) ?? [];
}

/** Splits at the first unescaped occurrence of `separator` (surrounded by whitespace for `>` and `/`). */
function splitOnce(text: string, separator: string): [string, string] | undefined {
  const pattern = new RegExp(`^((?:\\\\.|[^\\\\])*?)\\s${separator === '/' ? '/' : '>'}(?:\\s|$)`);
  const match = pattern.exec(text);
  if (!match?.[1]) return undefined;
  return [match[1], text.slice(match[0].length)];
}

export function parseTable(id: string, text: string): TableSpec {
  const spec: Omit<TableSpec, 'script' | 'target'> = { id, directives: new Map(), classes: new Map(), rules: [] };
  let script: Script | undefined;
  let target: Target | undefined;
  const fail = (line: number, reason: string): never => {
    throw new RuleSyntaxError(id, line, reason);
  };

  const contextTokens = (line: number, raw: string[]): ContextToken[] =>
    raw.map((token) => {
      if (token === '#') return { kind: 'boundary' };
      const negated = token.startsWith('!@');
      if (negated || token.startsWith('@')) {
        const name = token.slice(negated ? 2 : 1);
        if (!spec.classes.has(name)) fail(line, `class @${name} is not defined above this rule`);
        return { kind: 'class', name, negated };
      }
      return { kind: 'literal', text: unescape(token).normalize('NFC') };
    });

  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = index + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;

    if (trimmed.startsWith('@')) {
      const match = /^@([a-z]+)\s+(.+)$/.exec(trimmed);
      const [, name = '', value = ''] = match ?? [];
      if (!DIRECTIVES.has(name)) fail(line, `unknown directive "${trimmed.split(/\s/)[0] ?? ''}"`);
      if (name === 'class') {
        const classMatch = /^([A-Za-z][A-Za-z0-9]*)\s*=\s*(.+)$/.exec(value);
        if (!classMatch?.[1] || !classMatch[2]) return fail(line, 'expected "@class Name = a b c"');
        const members = tokens(classMatch[2]).map((member) => unescape(member).normalize('NFC'));
        const long = members.find((member) => member.length !== 1);
        if (long !== undefined) fail(line, `class member "${long}" is not a single character`);
        spec.classes.set(classMatch[1], new Set(members));
      } else if (name === 'script') {
        if (!isOneOf(SCRIPTS, value)) return fail(line, `@script must be one of ${SCRIPTS.join(', ')}, not "${value}"`);
        script = value;
      } else if (name === 'target') {
        if (!isOneOf(TARGETS, value)) return fail(line, `@target must be one of ${TARGETS.join(', ')}, not "${value}"`);
        target = value;
      } else if (name === 'reference' && spec.directives.has('reference')) {
        spec.directives.set(name, `${spec.directives.get(name) ?? ''}; ${value.trim()}`);
      } else {
        spec.directives.set(name, value.trim());
      }
      return;
    }

    const arrow = splitOnce(trimmed, '>');
    if (!arrow) return fail(line, 'expected "source > output [/ left _ right]"');
    const [sourceText, rest] = arrow;
    const slash = splitOnce(` ${rest}`, '/');
    const outputText = (slash ? slash[0] : rest).trim();
    const contextText = slash?.[1].trim();

    const sourceTokens = tokens(sourceText);
    if (sourceTokens.length !== 1) return fail(line, 'the source must be one string without spaces (escape a space as "\\ ")');
    const source = unescape(sourceTokens[0] ?? '').normalize('NFC');
    const outputTokens = tokens(outputText);
    if (outputTokens.length !== 1) fail(line, 'the output must be one string, or ∅ to delete');
    const output = outputTokens[0] === '∅' ? '' : unescape(outputTokens[0] ?? '').normalize('NFC');
    if (/[\uD800-\uDFFF]/.test(source)) fail(line, 'sources must be made of BMP characters');

    let left: ContextToken[] = [];
    let right: ContextToken[] = [];
    if (contextText !== undefined) {
      const parts = tokens(contextText);
      const focus = parts.indexOf('_');
      if (focus < 0 || parts.lastIndexOf('_') !== focus) fail(line, 'a context needs exactly one "_" marking the source');
      left = contextTokens(line, parts.slice(0, focus));
      right = contextTokens(line, parts.slice(focus + 1));
      if (left.slice(1).some((token) => token.kind === 'boundary')) fail(line, '"#" may only open the left context');
      if (right.slice(0, -1).some((token) => token.kind === 'boundary')) fail(line, '"#" may only close the right context');
    }
    spec.rules.push({ line, source, output, left, right });
  });

  for (const required of ['standard', 'language']) {
    if (!spec.directives.has(required)) fail(0, `missing @${required} directive`);
  }
  if (script === undefined) return fail(0, 'missing @script directive');
  if (target === undefined) return fail(0, 'missing @target directive');
  return { ...spec, script, target };
}
