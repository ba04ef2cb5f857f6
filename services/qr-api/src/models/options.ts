import { z } from 'zod';
import { colourSchema } from './colour.js';

const ECC_LEVELS = ['L', 'M', 'Q', 'H'] as const;
export type Ecc = (typeof ECC_LEVELS)[number];

const FORMATS = ['png', 'svg', 'text'] as const;
export type Format = (typeof FORMATS)[number];

export const eccSchema = z
  .string()
  .toUpperCase()
  .pipe(z.enum(ECC_LEVELS, { error: 'must be one of L, M, Q, H' }));

/** In a query string `#` must be written %23; a colour without it is accepted there too. */
const queryColour = z
  .string()
  .transform((value) => (value.startsWith('#') ? value : `#${value}`))
  .pipe(colourSchema);

const int = (min: number, max: number, coerce: boolean) =>
  (coerce ? z.coerce.number() : z.number()).int('must be a whole number').min(min).max(max);

/** The rendering options shared by POST bodies (numbers) and GET query strings (coerced). */
export function optionsShape(coerce: boolean) {
  return {
    format: z.enum(FORMATS, { error: 'must be one of png, svg, text' }).optional(),
    ecc: eccSchema.optional(),
    scale: int(1, 40, coerce).optional().describe('pixels per module'),
    size: int(1, 10_000, coerce).optional().describe('target image width in pixels; the largest whole scale that fits'),
    margin: int(0, 20, coerce).optional().describe('quiet zone in modules (the standard asks for 4)'),
    dark: (coerce ? queryColour : colourSchema).optional(),
    light: (coerce ? queryColour : colourSchema).optional(),
    version: int(1, 40, coerce).optional().describe('minimum QR version (1..40)'),
    invert: (coerce ? z.enum(['true', 'false']).transform((v) => v === 'true') : z.boolean())
      .optional()
      .describe('text format only: draw light modules as ink, for light-on-dark terminals'),
  };
}

export type RenderOptionsInput = z.output<z.ZodObject<ReturnType<typeof optionsShape>>>;

/** Options after the service defaults were applied. */
export interface RenderOptions {
  format: Format;
  ecc: Ecc;
  /** Exactly one of scale and size is set. */
  scale?: number;
  size?: number;
  margin: number;
  dark: string;
  light: string;
  version?: number;
  invert: boolean;
}
