import type { ArrayEncoding } from '../binary/arrays.js';

/** PSI-MS and UO accessions the mzML reader interprets; every other cvParam lands in `params`. */
export const CV = {
  msLevel: 'MS:1000511',
  positive: 'MS:1000130',
  negative: 'MS:1000129',
  centroid: 'MS:1000127',
  profile: 'MS:1000128',
  scanStartTime: 'MS:1000016',
  selectedIonMz: 'MS:1000744',
  mzV10: 'MS:1000040', // mzML 1.0 named the selected ion m/z "m/z"
  chargeState: 'MS:1000041',
  possibleCharge: 'MS:1000633',
  peakIntensity: 'MS:1000042',
  isolationTarget: 'MS:1000827',
  collisionEnergy: 'MS:1000045',
  mzArray: 'MS:1000514',
  intensityArray: 'MS:1000515',
  timeArray: 'MS:1000595',
  // imzML (imagingMS.obo)
  positionX: 'IMS:1000050',
  positionY: 'IMS:1000051',
  positionZ: 'IMS:1000052',
  externalOffset: 'IMS:1000102',
  externalLength: 'IMS:1000103',
  externalEncodedLength: 'IMS:1000104',
  uuid: 'IMS:1000080',
  continuous: 'IMS:1000030',
  processed: 'IMS:1000031',
} as const;

const MINUTE_UNITS = new Set(['UO:0000031', 'MS:1000038']);
const MILLISECOND_UNITS = new Set(['UO:0000028']);

/** A time value in seconds from a cvParam's unit (seconds when the file names none). */
export function toSeconds(value: number, unitAccession: string | undefined, unitName: string | undefined): number {
  if ((unitAccession && MINUTE_UNITS.has(unitAccession)) || unitName === 'minute') return value * 60;
  if ((unitAccession && MILLISECOND_UNITS.has(unitAccession)) || unitName === 'millisecond') return value / 1000;
  return value;
}

export function isMinute(unitAccession: string | undefined, unitName: string | undefined): boolean {
  return (unitAccession !== undefined && MINUTE_UNITS.has(unitAccession)) || unitName === 'minute';
}

/** Applies a binary-array encoding cvParam; false when the accession is not an encoding term. */
export function applyEncoding(encoding: ArrayEncoding, accession: string): boolean {
  switch (accession) {
    case 'MS:1000521':
      encoding.type = 'float32';
      return true;
    case 'MS:1000523':
      encoding.type = 'float64';
      return true;
    case 'MS:1000519':
      encoding.type = 'int32';
      return true;
    case 'MS:1000522':
      encoding.type = 'int64';
      return true;
    case 'MS:1000574':
      encoding.zlib = true;
      return true;
    case 'MS:1000576':
      return true;
    case 'MS:1002312':
      encoding.numpress = 'linear';
      return true;
    case 'MS:1002313':
      encoding.numpress = 'pic';
      return true;
    case 'MS:1002314':
      encoding.numpress = 'slof';
      return true;
    case 'MS:1002746':
      encoding.numpress = 'linear';
      encoding.zlib = true;
      return true;
    case 'MS:1002747':
      encoding.numpress = 'pic';
      encoding.zlib = true;
      return true;
    case 'MS:1002748':
      encoding.numpress = 'slof';
      encoding.zlib = true;
      return true;
    default:
      return false;
  }
}
