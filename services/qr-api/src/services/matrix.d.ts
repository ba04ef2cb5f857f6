import QRCode from 'qrcode';
import type { Ecc } from '../models/options.js';
export interface QrMatrix {
    /** Modules per side, without the quiet zone. */
    size: number;
    /** Row-major, 1 = dark module. */
    data: Uint8Array;
    version: number;
    ecc: Ecc;
    /** The text it encodes, for renderers that rebuild the symbol (same text, version and mask: same matrix). */
    text: string;
    maskPattern: QRCode.QRCodeMaskPattern | undefined;
}
/** Bytes that fit in a version 40 symbol in byte mode, by error correction level (ISO/IEC 18004 table 7). */
export declare const MAX_BYTES: Record<Ecc, number>;
/**
 * The QR matrix of `text` at the smallest version that holds it, or at `minVersion` when that is larger.
 * A payload too large for any version is the caller's 400, saying how much fits.
 */
export declare function makeMatrix(text: string, ecc: Ecc, minVersion?: number, path?: string): QrMatrix;
//# sourceMappingURL=matrix.d.ts.map