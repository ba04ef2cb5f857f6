import type { Rgba } from '../models/colour.js';
import type { QrMatrix } from './matrix.js';
export interface PngOptions {
    scale: number;
    margin: number;
    dark: Rgba;
    light: Rgba;
}
/**
 * A QR matrix as a 1-bit palette PNG (index 0 light, 1 dark; tRNS when a colour is translucent).
 * A two-colour image packs 8 pixels a byte and its rows repeat, so it deflates tiny and fast; this is
 * what makes the service an order of magnitude faster than RGBA rasterisers.
 */
export declare function encodePng(matrix: QrMatrix, options: PngOptions): Buffer;
//# sourceMappingURL=png.d.ts.map