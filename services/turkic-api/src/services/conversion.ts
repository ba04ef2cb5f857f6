import { invalidInput, quoted } from '@platform/core';
import { transliterate, type Catalog, type Conversion } from '../transliteration/catalog.js';
import { TARGETS } from '../transliteration/format.js';
import { checkText } from './text-input.js';

/** 400 unless the catalog has the language. */
export function checkLanguage(catalog: Catalog, language: string): void {
  if (!catalog.languages.includes(language)) {
    throw invalidInput(`unknown language ${quoted(language)}; supported: ${catalog.languages.join(', ')}`, [
      { path: 'language', message: 'unsupported' },
    ]);
  }
}

/** The conversion of `language` to `target` that reads `script` (any of its scripts when absent); 400 when there is none. */
function conversionFor(catalog: Catalog, language: string, target: string, script: string | undefined): Conversion {
  checkLanguage(catalog, language);
  const known = TARGETS.find((candidate) => candidate === target);
  const conversion = known === undefined ? undefined : catalog.conversion(language, known);
  if (!conversion) {
    const targets = catalog.targetsOf(language);
    const offered = targets.length > 0 ? targets.join(', ') : 'none (detection only)';
    throw invalidInput(`language ${language} has no target ${quoted(target)}; supported targets: ${offered}`, [
      { path: 'target', message: 'unsupported' },
    ]);
  }
  if (script !== undefined && !conversion.scripts.some((accepted) => accepted === script)) {
    throw invalidInput(`${language} ${target} reads script ${conversion.scripts.join(' or ')}, not ${quoted(script)}`, [
      { path: 'script', message: 'unsupported' },
    ]);
  }
  return conversion;
}

/** `text` converted, with the conversion's standard; 400 for what the catalog lacks, then 413 for a text over `maxChars`. */
export function convertText(
  catalog: Catalog,
  request: { text: string; language: string; target: string; script?: string | undefined },
  maxChars: number,
) {
  const conversion = conversionFor(catalog, request.language, request.target, request.script);
  checkText(request.text, maxChars);
  return { text: transliterate(conversion, request.text), standard: conversion.standard };
}
