import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { ChemstationReader } from './chemstation/reader.js';
import { loadConfig } from './config.js';
import { InstrumentFileError } from './errors.js';
import { ImzmlReader } from './imzml/reader.js';
import { MgfReader } from './mgf/reader.js';
import { MzmlReader } from './mzml/reader.js';
import { MzxmlReader } from './mzxml/reader.js';
import { AndiReader } from './netcdf/reader.js';
import { findThermoRawFileParser, ThermoRawReader } from './thermo.js';
import type { InstrumentReader, Spectrum } from './types.js';
import { readRange } from './xml/offsets.js';

/** A reader that can also list spectra without decoding their arrays (fast counts). */
export interface HeaderReader extends InstrumentReader {
  spectrumHeaders(): AsyncIterableIterator<Spectrum>;
}

async function openThermo(path: string, options: OpenOptions): Promise<InstrumentReader> {
  const head = await readRange(path, 0, 2 + THERMO_MAGIC.length);
  if (!head.subarray(2).equals(THERMO_MAGIC)) {
    throw new InstrumentFileError(path, 2, 'the Thermo .raw signature "Finnigan"');
  }
  const config = loadConfig();
  const where = options.thermo ?? { configured: config.thermoRawFileParser, path: config.path };
  return new ThermoRawReader(path, await findThermoRawFileParser(where));
}

export function hasHeaders(reader: InstrumentReader): reader is HeaderReader {
  return 'spectrumHeaders' in reader;
}

type Opener = (path: string) => InstrumentReader | Promise<InstrumentReader>;

const BY_EXTENSION: Record<string, Opener> = {
  '.mzml': (p) => new MzmlReader(p),
  '.mzxml': (p) => new MzxmlReader(p),
  '.mgf': (p) => new MgfReader(p),
  '.imzml': (p) => new ImzmlReader(p),
  '.cdf': (p) => new AndiReader(p),
  '.nc': (p) => new AndiReader(p),
  '.ms': (p) => new ChemstationReader(p),
  '.uv': (p) => new ChemstationReader(p),
  '.ch': (p) => new ChemstationReader(p),
};

export interface OpenOptions {
  /** Where to look for ThermoRawFileParser (default: THERMO_RAW_FILE_PARSER, then PATH). */
  thermo?: { configured?: string; path: string };
}

const THERMO_MAGIC = Buffer.from('Finnigan', 'utf16le');

/** Opens any supported file (or .D folder) by its extension, else by sniffing its first bytes. */
export async function openInstrumentFile(path: string, options: OpenOptions = {}): Promise<InstrumentReader> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InstrumentFileError(path, undefined, 'an existing file or folder');
  }
  const ext = extname(path).toLowerCase();
  const byExt = BY_EXTENSION[ext];
  if (info.isDirectory()) {
    if (ext === '.d') return new ChemstationReader(path);
    if (ext === '.raw') throw new InstrumentFileError(path, undefined, 'a Thermo .raw file (Waters .raw folders are not supported)');
    throw new InstrumentFileError(path, undefined, 'a file, or a ChemStation .D folder');
  }
  if (byExt) return byExt(path);
  if (ext === '.raw') return openThermo(path, options);
  const head = (await readRange(path, 0, 4096)).toString('latin1');
  if (head.includes('<indexedmzML') || head.includes('<mzML')) return new MzmlReader(path);
  if (head.includes('<mzXML')) return new MzxmlReader(path);
  if (head.startsWith('CDF\x01') || head.startsWith('CDF\x02')) return new AndiReader(path);
  if (/^\s*(BEGIN IONS|[A-Z]+=)/m.test(head)) return new MgfReader(path);
  throw new InstrumentFileError(path, 0, 'a supported format (mzML, mzXML, MGF, imzML, netCDF, ChemStation, Thermo .raw)');
}
