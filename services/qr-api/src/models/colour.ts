import { z } from 'zod';

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0..255 */
  a: number;
}

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

export const colourSchema = z.string().regex(HEX_COLOUR, 'must be a hex colour: #RGB, #RRGGBB or #RRGGBBAA');

export function parseColour(hex: string): Rgba {
  let digits = hex.slice(1);
  if (digits.length === 3) digits = digits.replace(/./g, '$&$&');
  const byte = (i: number) => Number.parseInt(digits.slice(i, i + 2), 16);
  return { r: byte(0), g: byte(2), b: byte(4), a: digits.length === 8 ? byte(6) : 255 };
}

/** WCAG 2 relative luminance of a colour composited over white paper (a transparent colour shows the page). */
function luminance(colour: Rgba): number {
  const alpha = colour.a / 255;
  const channel = (value: number) => {
    const c = (value * alpha + 255 * (1 - alpha)) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b);
}

/**
 * How much lighter `light` is than `dark`, as the WCAG contrast ratio (1..21); below 1 when the
 * "dark" colour is the lighter one, which scanners read as an inverted code.
 */
export function contrastRatio(dark: Rgba, light: Rgba): number {
  return (luminance(light) + 0.05) / (luminance(dark) + 0.05);
}
