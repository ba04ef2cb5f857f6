import { z } from 'zod';
export interface Rgba {
    r: number;
    g: number;
    b: number;
    /** 0..255 */
    a: number;
}
export declare const HEX_COLOUR: RegExp;
export declare const colourSchema: z.ZodString;
export declare function parseColour(hex: string): Rgba;
/**
 * How much lighter `light` is than `dark`, as the WCAG contrast ratio (1..21); below 1 when the
 * "dark" colour is the lighter one, which scanners read as an inverted code.
 */
export declare function contrastRatio(dark: Rgba, light: Rgba): number;
//# sourceMappingURL=colour.d.ts.map