import { AppError } from '@platform/core';
import QRCode from 'qrcode';
import { contrastRatio, parseColour } from '../models/colour.js';
import type { Ecc, Format, RenderOptions, RenderOptionsInput } from '../models/options.js';
import { makeMatrix, type QrMatrix } from './matrix.js';
import { encodePng } from './png.js';
import { renderText } from './text.js';

export interface QrDefaults {
  ecc: Ecc;
  scale: number;
  margin: number;
  dark: string;
  light: string;
  /** Least WCAG contrast ratio between light and dark (colours composited over white). */
  minContrast: number;
}

export interface RenderedQr {
  body: Buffer;
  contentType: string;
  extension: string;
  version: number;
}

const CONTENT_TYPES: Record<Format, { contentType: string; extension: string }> = {
  png: { contentType: 'image/png', extension: 'png' },
  svg: { contentType: 'image/svg+xml', extension: 'svg' },
  text: { contentType: 'text/plain; charset=utf-8', extension: 'txt' },
};

const invalid = (path: string, message: string) => new AppError('INVALID_INPUT', `${path}: ${message}`, { details: [{ path, message }] });

/** Applies the service defaults and checks the rules that span fields; `prefix` names a batch item. */
export function resolveOptions(input: RenderOptionsInput, defaults: QrDefaults, format: Format, prefix = ''): RenderOptions {
  if (input.scale !== undefined && input.size !== undefined) throw invalid(`${prefix}size`, 'give scale or size, not both');
  const dark = input.dark ?? defaults.dark;
  const light = input.light ?? defaults.light;
  const ratio = contrastRatio(parseColour(dark), parseColour(light));
  if (ratio < defaults.minContrast) {
    const field = input.dark !== undefined ? 'dark' : 'light';
    throw invalid(
      `${prefix}${field}`,
      `contrast between dark ${dark} and light ${light} is ${ratio.toFixed(2)}:1; scanners need the dark colour ` +
        `darker than the light one by at least ${defaults.minContrast}:1 (WCAG contrast ratio, over white)`,
    );
  }
  const options: RenderOptions = {
    format,
    ecc: input.ecc ?? defaults.ecc,
    margin: input.margin ?? defaults.margin,
    dark,
    light,
    invert: input.invert ?? false,
  };
  if (input.size !== undefined) options.size = input.size;
  else options.scale = input.scale ?? defaults.scale;
  if (input.version !== undefined) options.version = input.version;
  return options;
}

function scaleFor(matrix: QrMatrix, options: RenderOptions, prefix: string): number {
  if (options.size === undefined) return options.scale ?? 1;
  const modules = matrix.size + 2 * options.margin;
  if (options.size < modules) {
    throw invalid(
      `${prefix}size`,
      `${options.size} px is narrower than the code (${modules} modules with the margin); use at least ${modules}`,
    );
  }
  return Math.min(40, Math.floor(options.size / modules));
}

/** `prefix` and `payloadPath` name the fields in errors (see generateQr). */
export async function renderQr(text: string, options: RenderOptions, prefix = '', payloadPath = `${prefix}data`): Promise<RenderedQr> {
  const matrix = makeMatrix(text, options.ecc, options.version, payloadPath);
  const scale = scaleFor(matrix, options, prefix);
  const { contentType, extension } = CONTENT_TYPES[options.format];
  let body: Buffer;
  if (options.format === 'png') {
    body = encodePng(matrix, { scale, margin: options.margin, dark: parseColour(options.dark), light: parseColour(options.light) });
  } else if (options.format === 'svg') {
    const svg = await QRCode.toString(matrix.text, {
      type: 'svg',
      errorCorrectionLevel: matrix.ecc,
      version: matrix.version,
      maskPattern: matrix.maskPattern,
      margin: options.margin,
      width: (matrix.size + 2 * options.margin) * scale,
      color: { dark: options.dark, light: options.light },
    });
    body = Buffer.from(svg, 'utf8');
  } else {
    body = Buffer.from(renderText(matrix, options.margin, options.invert), 'utf8');
  }
  return { body, contentType, extension, version: matrix.version };
}
