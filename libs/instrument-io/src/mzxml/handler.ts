import type { SaxesTagPlain } from 'saxes';
import { decodeArray, decodeBase64 } from '../binary/arrays.js';
import { InstrumentFileError } from '../errors.js';
import type { Params, Precursor, Spectrum } from '../types.js';
import { paramValue, type XmlHandler } from '../xml/stream.js';

export interface MzxmlHeader {
  metadata: Params;
  instrument?: string;
  started?: string;
  scanCount?: number;
}

interface Peaks {
  precision: 32 | 64;
  zlib: boolean;
  littleEndian: boolean;
  payload: Buffer | undefined;
  offset: number;
}

interface OpenScan {
  spectrum: Spectrum;
  peaksCount: number | undefined;
  emitted: boolean;
}

const SCAN_ATTRIBUTES_SKIPPED = new Set(['num', 'msLevel', 'retentionTime', 'polarity', 'centroided', 'peaksCount']);
const EMPTY = new Float64Array(0);

/**
 * SAX state machine for mzXML 2.x/3.x. MS2 scans nest inside their MS1 scan, so a scan is emitted
 * when its peaks end (document order), not when the scan element closes.
 */
export class MzxmlHandler implements XmlHandler<Spectrum> {
  readonly ready: Spectrum[] = [];
  private readonly scans: OpenScan[] = [];
  private precursor: Precursor | undefined;
  private precursorText: string[] | undefined;
  private peaks: Peaks | undefined;
  private count = 0;
  reachedData = false;
  locate = (): number => 0;

  constructor(
    private readonly file: string,
    readonly header: MzxmlHeader,
    private readonly decode: boolean,
  ) {}

  readonly payloadTag = 'peaks';

  wantsText(): boolean {
    return this.precursorText !== undefined;
  }

  text(text: string): void {
    this.precursorText?.push(text);
  }

  payload(bytes: Buffer): void {
    if (this.peaks) this.peaks.payload = bytes;
  }

  open(tag: SaxesTagPlain): void {
    const a = tag.attributes;
    switch (tag.name) {
      case 'scan':
        this.reachedData = true;
        this.scans.push({
          spectrum: this.scan(a),
          peaksCount: a.peaksCount === undefined ? undefined : Number(a.peaksCount),
          emitted: false,
        });
        return;
      case 'precursorMz':
        this.precursor = {
          mz: Number.NaN,
          charges: (a.precursorCharge ?? a.possibleCharges ?? '')
            .split(/[,\s]+/)
            .filter((c) => c !== '')
            .map(Number),
          intensity: a.precursorIntensity === undefined ? undefined : Number(a.precursorIntensity),
          spectrumRef: a.precursorScanNum,
          activation: a.activationMethod,
        };
        this.precursorText = [];
        return;
      case 'peaks':
        this.peaks = {
          precision: a.precision === '64' ? 64 : 32,
          zlib: a.compressionType === 'zlib',
          littleEndian: a.byteOrder !== undefined && a.byteOrder !== 'network' && a.byteOrder !== 'big',
          payload: undefined,
          offset: this.locate(),
        };
        return;
      case 'msRun':
        if (a.scanCount) this.header.scanCount = Number(a.scanCount);
        if (a.startTime) this.header.metadata.start_time_seconds = durationSeconds(a.startTime) ?? a.startTime;
        if (a.endTime) this.header.metadata.end_time_seconds = durationSeconds(a.endTime) ?? a.endTime;
        return;
      case 'msModel':
        if (a.value) this.header.instrument = a.value;
        return;
      case 'msManufacturer':
      case 'msIonisation':
      case 'msMassAnalyzer':
      case 'msDetector':
        if (a.value) this.header.metadata[tag.name] = a.value;
        return;
      case 'parentFile':
        if (a.fileName) this.header.metadata.parent_file = a.fileName;
        return;
      default:
        return;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'precursorMz': {
        const scan = this.scans.at(-1)?.spectrum;
        if (scan && this.precursor) {
          this.precursor.mz = Number((this.precursorText ?? []).join('').trim());
          scan.precursors.push(this.precursor);
        }
        this.precursor = undefined;
        this.precursorText = undefined;
        return;
      }
      case 'peaks':
        this.finishPeaks();
        return;
      case 'scan': {
        const scan = this.scans.pop();
        // A scan without a peaks element is still a scan.
        if (scan && !scan.emitted) this.ready.push(scan.spectrum);
        return;
      }
      default:
        return;
    }
  }

  private scan(a: Record<string, string>): Spectrum {
    const params: Params = {};
    for (const [k, v] of Object.entries(a)) if (!SCAN_ATTRIBUTES_SKIPPED.has(k)) params[k] = paramValue(v);
    const spectrum: Spectrum = {
      index: this.count++,
      id: a.num ?? '',
      msLevel: Number(a.msLevel ?? 1),
      retentionTimeSeconds: a.retentionTime === undefined ? undefined : durationSeconds(a.retentionTime),
      precursors: [],
      mz: EMPTY,
      intensity: EMPTY,
      params,
    };
    if (a.polarity === '+') spectrum.polarity = 'positive';
    if (a.polarity === '-') spectrum.polarity = 'negative';
    if (a.centroided === '1') spectrum.mode = 'centroid';
    if (a.centroided === '0') spectrum.mode = 'profile';
    return spectrum;
  }

  private finishPeaks(): void {
    const peaks = this.peaks;
    this.peaks = undefined;
    const open = this.scans.at(-1);
    if (!peaks || !open) return;
    const scan = open.spectrum;
    if (this.decode) {
      try {
        const bytes = decodeBase64(peaks.payload?.toString('latin1') ?? '');
        const expected = open.peaksCount ?? Number.NaN;
        const values = decodeArray(bytes, {
          type: peaks.precision === 64 ? 'float64' : 'float32',
          zlib: peaks.zlib,
          littleEndian: peaks.littleEndian,
        });
        if (values.length % 2 !== 0) throw new Error('m/z-intensity pairs');
        const n = values.length / 2;
        if (Number.isFinite(expected) && expected !== n) throw new Error(`${String(expected)} peaks, found ${String(n)}`);
        scan.mz = new Float64Array(n);
        scan.intensity = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          scan.mz[i] = values[2 * i] ?? 0;
          scan.intensity[i] = values[2 * i + 1] ?? 0;
        }
      } catch (cause) {
        throw new InstrumentFileError(this.file, peaks.offset, `peaks of scan ${scan.id}: ${(cause as Error).message}`, {
          cause,
        });
      }
    }
    this.ready.push(scan);
    open.emitted = true;
  }
}

/** xs:duration (PT1H2M3.5S) in seconds; mzXML writes retention times this way. */
export function durationSeconds(text: string): number | undefined {
  const m = /^-?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)S)?)?$/.exec(
    text.trim(),
  );
  if (!m) return undefined;
  const [, d, h, min, s] = m;
  const total = Number(d ?? 0) * 86400 + Number(h ?? 0) * 3600 + Number(min ?? 0) * 60 + Number(s ?? 0);
  return text.trim().startsWith('-') ? -total : total;
}
