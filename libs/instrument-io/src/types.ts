export type Polarity = 'positive' | 'negative';
export type SpectrumMode = 'centroid' | 'profile';
export type ParamValue = string | number | boolean;
/** Named parameters: cvParam/userParam names (mzML), attribute names (mzXML), keys (MGF). */
export type Params = Record<string, ParamValue>;

export interface Precursor {
  /** The selected ion m/z; the isolation window target when no selected ion is given. */
  mz: number;
  isolationTargetMz?: number;
  intensity?: number;
  charges: number[];
  /** Id of the spectrum the precursor was selected from, when the file says so. */
  spectrumRef?: string;
  activation?: string;
  collisionEnergy?: number;
}

export interface Spectrum {
  index: number;
  id: string;
  msLevel: number;
  retentionTimeSeconds: number | undefined;
  polarity?: Polarity;
  mode?: SpectrumMode;
  precursors: Precursor[];
  mz: Float64Array;
  intensity: Float64Array;
  params: Params;
  /** imzML only: pixel coordinates. */
  pixel?: { x: number; y: number; z?: number };
}

export type TimeUnit = 'second' | 'minute';

export interface Chromatogram {
  id: string;
  time: Float64Array;
  intensity: Float64Array;
  unit: TimeUnit;
  params: Params;
  /** UV/DAD: the wavelength of this trace. */
  wavelengthNm?: number;
}

export type Format =
  | 'mzML'
  | 'indexedmzML'
  | 'mzXML'
  | 'MGF'
  | 'imzML'
  | 'ANDI-MS'
  | 'ANDI-CHROM'
  | 'ChemStation-MS'
  | 'ChemStation-UV'
  | 'ChemStation-CH'
  | 'ChemStation-D';

export interface Run {
  format: Format;
  instrument?: string;
  started?: string;
  spectrumCount: number;
  chromatogramCount: number;
  metadata: Params;
}

/** What every reader offers; `get` exists where the format allows random access. */
export interface InstrumentReader {
  readonly path: string;
  run(): Promise<Run>;
  spectra(): AsyncIterableIterator<Spectrum>;
  chromatograms(): AsyncIterableIterator<Chromatogram>;
  get?(idOrIndex: string | number): Promise<Spectrum>;
  /** Releases what the reader holds (the Thermo reader's converted mzML). */
  close?(): Promise<void>;
}
