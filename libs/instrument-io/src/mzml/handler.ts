import type { SaxesTagPlain } from 'saxes';
import { decodeArray, decodeBase64, type ArrayEncoding } from '../binary/arrays.js';
import { InstrumentFileError } from '../errors.js';
import type { Chromatogram, Params, Precursor, Spectrum } from '../types.js';
import { paramValue, type XmlHandler } from '../xml/stream.js';
import { applyEncoding, CV, isMinute, toSeconds } from './cv.js';

export interface CvParam {
  accession: string;
  name: string;
  value: string | undefined;
  unitAccession: string | undefined;
  unitName: string | undefined;
}

export type MzmlItem =
  { kind: 'spectrum'; spectrum: Spectrum; external: ExternalArray[] } | { kind: 'chromatogram'; chromatogram: Chromatogram };

export interface MzmlHeader {
  groups: Map<string, CvParam[]>;
  /** fileContent cvParams by accession, values as written. */
  fileContent?: Record<string, string>;
  metadata: Params;
  instrument?: string;
  started?: string;
  spectrumCount?: number;
  chromatogramCount?: number;
}

export interface HandlerOptions {
  /** Decode binary arrays of spectra (false: counting passes leave them empty). */
  spectra: boolean;
  chromatograms: boolean;
}

/** imzML: an array stored in the .ibd file rather than inline. */
export interface ExternalArray {
  kind: 'mz' | 'intensity';
  encoding: ArrayEncoding;
  offset: number;
  length: number;
  encodedLength: number;
}

interface ArrayBuilder {
  external: Partial<Record<'offset' | 'length' | 'encodedLength', number>>;
  encoding: ArrayEncoding;
  kind: 'mz' | 'intensity' | 'time' | 'other';
  name: string;
  minutes: boolean;
  length: number | undefined;
  payload: Buffer | undefined;
  offset: number;
}

interface Builder {
  kind: 'spectrum' | 'chromatogram';
  index: number;
  id: string;
  length: number;
  spectrum: Spectrum;
  external: ExternalArray[];
  unit: 'second' | 'minute';
  time?: Float64Array;
}

const EMPTY = new Float64Array(0);
const SERIAL_NUMBER = 'MS:1000529';

/** The SAX state machine for mzML 1.0/1.1: header metadata, spectra, chromatograms. */
export class MzmlHandler implements XmlHandler<MzmlItem> {
  readonly ready: MzmlItem[] = [];
  private readonly stack: string[] = [];
  private group: CvParam[] | undefined;
  private current: Builder | undefined;
  private precursor: Precursor | undefined;
  private array: ArrayBuilder | undefined;
  private collecting = false;
  private instrumentDepth = -1;
  /** True once the first spectrum or chromatogram has begun: the header is complete. */
  reachedData = false;
  locate = (): number => 0;

  constructor(
    private readonly file: string,
    readonly header: MzmlHeader,
    private readonly options: HandlerOptions,
  ) {}

  readonly payloadTag = 'binary';

  wantsText(): boolean {
    return false;
  }

  text(): void {
    // Base64 arrives through payload().
  }

  payload(bytes: Buffer): void {
    if (this.collecting && this.array) this.array.payload = bytes;
  }

  open(tag: SaxesTagPlain): void {
    const a = tag.attributes;
    this.stack.push(tag.name);
    switch (tag.name) {
      case 'cvParam':
        this.cvParam({
          accession: a.accession ?? '',
          name: a.name ?? '',
          value: a.value,
          unitAccession: a.unitAccession,
          unitName: a.unitName,
        });
        return;
      case 'userParam':
        if (this.current && !this.array) this.current.spectrum.params[a.name ?? ''] = paramValue(a.value);
        return;
      case 'referenceableParamGroupRef':
        for (const p of this.header.groups.get(a.ref ?? '') ?? []) this.cvParam(p);
        return;
      case 'binary':
        this.collecting = this.array !== undefined && this.wanted();
        return;
      case 'binaryDataArray':
        this.array = {
          external: {},
          encoding: { type: 'float64', zlib: false, littleEndian: true },
          kind: 'other',
          name: '',
          minutes: false,
          length: a.arrayLength === undefined ? undefined : Number(a.arrayLength),
          payload: undefined,
          offset: this.locate(),
        };
        return;
      case 'spectrum':
      case 'chromatogram':
        this.begin(tag.name, a);
        return;
      case 'precursor':
        if (this.current) this.precursor = { mz: Number.NaN, charges: [], spectrumRef: a.spectrumRef };
        return;
      case 'referenceableParamGroup':
        this.group = [];
        this.header.groups.set(a.id ?? '', this.group);
        return;
      case 'instrumentConfiguration':
        if (this.instrumentDepth < 0 && this.header.instrument === undefined) this.instrumentDepth = this.stack.length;
        return;
      case 'run':
        if (a.startTimeStamp) this.header.started = a.startTimeStamp;
        if (a.id) this.header.metadata.run_id = a.id;
        return;
      case 'mzML':
        if (a.version) this.header.metadata.mzml_version = a.version;
        if (a.id) this.header.metadata.mzml_id = a.id;
        return;
      case 'spectrumList':
        if (a.count) this.header.spectrumCount = Number(a.count);
        return;
      case 'chromatogramList':
        if (a.count) this.header.chromatogramCount = Number(a.count);
        return;
      case 'sourceFile':
        if (a.name) this.header.metadata.source_file = a.name;
        return;
      case 'software':
        if (a.id) this.header.metadata[`software:${a.id}`] = a.version ?? true;
        return;
      default:
        return;
    }
  }

  close(name: string): void {
    this.stack.pop();
    switch (name) {
      case 'binary':
        this.collecting = false;
        return;
      case 'binaryDataArray':
        this.finishArray();
        return;
      case 'precursor':
        if (this.current && this.precursor) {
          if (Number.isNaN(this.precursor.mz) && this.precursor.isolationTargetMz !== undefined) {
            this.precursor.mz = this.precursor.isolationTargetMz;
          }
          this.current.spectrum.precursors.push(this.precursor);
          this.precursor = undefined;
        }
        return;
      case 'spectrum':
      case 'chromatogram':
        this.finish();
        return;
      case 'referenceableParamGroup':
        this.group = undefined;
        return;
      case 'instrumentConfiguration':
        this.instrumentDepth = -1;
        return;
      default:
        return;
    }
  }

  private wanted(): boolean {
    return this.current?.kind === 'spectrum' ? this.options.spectra : this.options.chromatograms;
  }

  private begin(kind: 'spectrum' | 'chromatogram', a: Record<string, string>): void {
    this.reachedData = true;
    this.current = {
      kind,
      index: Number(a.index ?? -1),
      id: a.id ?? a.nativeID ?? '',
      length: Number(a.defaultArrayLength ?? 0),
      unit: 'second',
      external: [],
      spectrum: {
        index: Number(a.index ?? -1),
        id: a.id ?? a.nativeID ?? '',
        msLevel: 1,
        retentionTimeSeconds: undefined,
        precursors: [],
        mz: EMPTY,
        intensity: EMPTY,
        params: {},
      },
    };
    if (a.spotID) this.current.spectrum.params.spot_id = a.spotID;
  }

  private cvParam(p: CvParam): void {
    if (this.group) {
      this.group.push(p);
      return;
    }
    if (this.array) {
      this.arrayParam(this.array, p);
      return;
    }
    if (this.precursor) {
      this.precursorParam(this.precursor, p);
      return;
    }
    if (this.current) {
      this.spectrumParam(this.current.spectrum, p);
      return;
    }
    if (this.instrumentDepth > 0 && this.stack.length === this.instrumentDepth + 1) {
      if (p.accession === SERIAL_NUMBER) this.header.metadata.instrument_serial_number = paramValue(p.value);
      else this.header.instrument ??= p.name;
      return;
    }
    if (this.stack.includes('fileContent')) {
      this.header.metadata[p.name] = paramValue(p.value);
      (this.header.fileContent ??= {})[p.accession] = p.value ?? '';
    }
  }

  private spectrumParam(s: Spectrum, p: CvParam): void {
    switch (p.accession) {
      case CV.msLevel:
        s.msLevel = Number(p.value);
        break;
      case CV.positive:
        s.polarity = 'positive';
        break;
      case CV.negative:
        s.polarity = 'negative';
        break;
      case CV.centroid:
        s.mode = 'centroid';
        break;
      case CV.profile:
        s.mode = 'profile';
        break;
      case CV.scanStartTime:
        s.retentionTimeSeconds = toSeconds(Number(p.value), p.unitAccession, p.unitName);
        break;
      case CV.positionX:
        s.pixel = { ...(s.pixel ?? { y: 0 }), x: Number(p.value) };
        break;
      case CV.positionY:
        s.pixel = { ...(s.pixel ?? { x: 0 }), y: Number(p.value) };
        break;
      case CV.positionZ:
        s.pixel = { ...(s.pixel ?? { x: 0, y: 0 }), z: Number(p.value) };
        break;
      default:
        break;
    }
    s.params[p.name] = paramValue(p.value);
  }

  private precursorParam(pr: Precursor, p: CvParam): void {
    const inStack = (name: string) => this.stack.includes(name);
    switch (p.accession) {
      case CV.selectedIonMz:
      case CV.mzV10:
        if (inStack('selectedIon') && Number.isNaN(pr.mz)) pr.mz = Number(p.value);
        return;
      case CV.isolationTarget:
        pr.isolationTargetMz = Number(p.value);
        return;
      case CV.chargeState:
      case CV.possibleCharge:
        pr.charges.push(Number(p.value));
        return;
      case CV.peakIntensity:
        pr.intensity = Number(p.value);
        return;
      case CV.collisionEnergy:
        pr.collisionEnergy = Number(p.value);
        return;
      default:
        if (inStack('activation') && pr.activation === undefined) pr.activation = p.name;
    }
  }

  private arrayParam(arr: ArrayBuilder, p: CvParam): void {
    if (applyEncoding(arr.encoding, p.accession)) return;
    if (p.accession === CV.externalOffset) arr.external.offset = Number(p.value);
    else if (p.accession === CV.externalLength) arr.external.length = Number(p.value);
    else if (p.accession === CV.externalEncodedLength) arr.external.encodedLength = Number(p.value);
    if (p.accession === CV.mzArray) arr.kind = 'mz';
    else if (p.accession === CV.intensityArray) arr.kind = 'intensity';
    else if (p.accession === CV.timeArray) {
      arr.kind = 'time';
      arr.minutes = isMinute(p.unitAccession, p.unitName);
    } else if (arr.kind === 'other' && p.name.endsWith(' array')) arr.name = p.name;
  }

  private finishArray(): void {
    const arr = this.array;
    const cur = this.current;
    this.array = undefined;
    if (!arr || !cur || !this.wanted() || arr.kind === 'other') return;
    const { offset, length: externalLength, encodedLength } = arr.external;
    if (offset !== undefined && (arr.kind === 'mz' || arr.kind === 'intensity')) {
      if (externalLength === undefined || encodedLength === undefined) {
        throw new InstrumentFileError(this.file, arr.offset, `external array length and encoded length of "${cur.id}"`);
      }
      cur.external.push({ kind: arr.kind, encoding: arr.encoding, offset, length: externalLength, encodedLength });
      return;
    }
    const length = arr.length ?? cur.length;
    let values: Float64Array;
    try {
      const bytes = decodeBase64(arr.payload?.toString('latin1') ?? '');
      values = length === 0 && bytes.length === 0 ? EMPTY : decodeArray(bytes, arr.encoding, length);
    } catch (cause) {
      throw new InstrumentFileError(this.file, arr.offset, `${arr.kind} array of ${cur.kind} "${cur.id}": ${(cause as Error).message}`, {
        cause,
      });
    }
    if (arr.kind === 'mz') cur.spectrum.mz = values;
    else if (arr.kind === 'intensity') cur.spectrum.intensity = values;
    else {
      cur.time = values;
      cur.unit = arr.minutes ? 'minute' : 'second';
    }
  }

  private finish(): void {
    const cur = this.current;
    this.current = undefined;
    if (!cur) return;
    const s = cur.spectrum;
    if (cur.kind === 'spectrum') {
      this.ready.push({ kind: 'spectrum', spectrum: s, external: cur.external });
      return;
    }
    this.ready.push({
      kind: 'chromatogram',
      chromatogram: { id: cur.id, time: cur.time ?? EMPTY, intensity: s.intensity, unit: cur.unit, params: s.params },
    });
  }
}
