import { invalidInput } from '@platform/core';
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
const MAX_BYTES: Record<Ecc, number> = { L: 2953, M: 2331, Q: 1663, H: 1273 };

/**
 * The QR matrix of `text` at the smallest version that holds it, or at `minVersion` when that is larger.
 * A payload too large for any version is the caller's 400, saying how much fits.
 */
export function makeMatrix(text: string, ecc: Ecc, minVersion?: number, path = 'data'): QrMatrix {
  let code: QRCode.QRCode;
  try {
    code = QRCode.create(text, { errorCorrectionLevel: ecc });
  } catch (error) {
    const bytes = Buffer.byteLength(text, 'utf8');
    if (bytes <= MAX_BYTES[ecc]) throw error;
    const message = `the payload is ${bytes} bytes; at most ${MAX_BYTES[ecc]} bytes fit in a QR code at error correction ${ecc}`;
    throw invalidInput(`${path}: ${message}`, [{ path, message, bytes, max_bytes: MAX_BYTES[ecc] }]);
  }
  if (minVersion !== undefined && minVersion > code.version) {
    code = QRCode.create(text, { errorCorrectionLevel: ecc, version: minVersion });
  }
  return {
    size: code.modules.size,
    data: code.modules.data,
    version: code.version,
    ecc,
    text,
    maskPattern: code.maskPattern,
  };
}
