import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTable, TARGETS, type Script, type Target } from './format.js';
import { Table } from './table.js';

/** The rule tables shipped with the service (`rules/*.rules` at the package root). */
export const RULES_DIR = new URL('../../rules/', import.meta.url.replace(/\/dist\/src\//, '/src/'));

export interface Conversion {
  language: string;
  target: Target;
  /** Input scripts the conversion accepts; text in other scripts passes through unchanged. */
  scripts: Script[];
  /** Tables applied in order (a Cyrillic text is first romanised, then converted to IPA). */
  tables: Table[];
  standard: string;
}

export interface LanguageInfo {
  code: string;
  name: string;
  scripts: Script[];
  targets: Partial<Record<Target, { standard: string; tables: string[] }>>;
  detection: boolean;
}

const NAMES: Record<string, string> = {
  kk: 'Kazakh',
  ky: 'Kyrgyz',
  uz: 'Uzbek',
  tr: 'Turkish',
  az: 'Azerbaijani',
  ug: 'Uyghur',
  tt: 'Tatar',
  tk: 'Turkmen',
  fi: 'Finnish',
  en: 'English',
};

/** Which tables make each conversion, by table id (`{language}-{script}-{target}`). */
const PIPELINES: Record<string, Partial<Record<Target, string[]>>> = {
  kk: { ipa: ['kk-cyrl-ipa'], latin: ['kk-cyrl-latin'] },
  ky: { ipa: ['ky-cyrl-ipa'], latin: ['ky-cyrl-latin'] },
  uz: { ipa: ['uz-cyrl-latin', 'uz-latn-ipa'], latin: ['uz-cyrl-latin'] },
  tr: { ipa: ['tr-latn-ipa'] },
  az: { ipa: ['az-cyrl-latin', 'az-latn-ipa'], latin: ['az-cyrl-latin'] },
  ug: { ipa: ['ug-arab-ipa'], latin: ['ug-arab-latin'] },
  tt: { ipa: ['tt-cyrl-ipa'], latin: ['tt-cyrl-latin'] },
  tk: { ipa: ['tk-latn-ipa'] },
  fi: { ipa: ['fi-latn-ipa'] },
  en: {},
};

export class Catalog {
  private readonly conversions = new Map<string, Conversion>();
  readonly tables: Map<string, Table>;

  constructor(tables: Table[]) {
    this.tables = new Map(tables.map((table) => [table.id, table]));
    for (const [language, targets] of Object.entries(PIPELINES)) {
      for (const target of TARGETS) {
        const ids = targets[target];
        if (!ids) continue;
        const chain = ids.map((id) => {
          const table = this.tables.get(id);
          if (!table) throw new Error(`rule table ${id} is missing from ${RULES_DIR.pathname}`);
          return table;
        });
        const scripts = [...new Set(chain.filter((table) => table.language === language).map((table) => table.script))];
        const last = chain.at(-1);
        const standard = chain.length > 1 ? chain.map((table) => table.standard).join(', then ') : (last?.standard ?? '');
        this.conversions.set(`${language}:${target}`, { language, target, scripts, tables: chain, standard });
      }
    }
  }

  /** Loads and compiles every `*.rules` file of a directory. */
  static load(dir: URL | string = RULES_DIR): Catalog {
    const path = typeof dir === 'string' ? dir : dir.pathname;
    const files = readdirSync(path).filter((file) => file.endsWith('.rules'));
    return new Catalog(files.map((file) => new Table(parseTable(file.replace(/\.rules$/, ''), readFileSync(join(path, file), 'utf8')))));
  }

  get languages(): string[] {
    return Object.keys(PIPELINES);
  }

  conversion(language: string, target: Target): Conversion | undefined {
    return this.conversions.get(`${language}:${target}`);
  }

  targetsOf(language: string): Target[] {
    return TARGETS.filter((target) => PIPELINES[language]?.[target] !== undefined);
  }

  describe(): LanguageInfo[] {
    return this.languages.map((code) => {
      const targets: LanguageInfo['targets'] = {};
      const scripts = new Set<Script>();
      for (const target of this.targetsOf(code)) {
        const conversion = this.conversion(code, target);
        if (!conversion) continue;
        conversion.scripts.forEach((script) => scripts.add(script));
        targets[target] = { standard: conversion.standard, tables: conversion.tables.map((table) => table.id) };
      }
      if (scripts.size === 0) scripts.add('Latn');
      return { code, name: NAMES[code] ?? code, scripts: [...scripts], targets, detection: true };
    });
  }
}

export function transliterate(conversion: Conversion, text: string): string {
  return conversion.tables.reduce((current, table) => table.apply(current), text);
}
