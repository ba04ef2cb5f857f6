export { InstrumentFileError, MissingToolError } from './errors.js';
export type {
  Chromatogram,
  Format,
  InstrumentReader,
  ParamValue,
  Params,
  Polarity,
  Precursor,
  Run,
  Spectrum,
  SpectrumMode,
  TimeUnit,
} from './types.js';
export { openInstrumentFile, type OpenOptions } from './open.js';
export { MzmlReader } from './mzml/reader.js';
export { MzxmlReader } from './mzxml/reader.js';
export { MgfReader } from './mgf/reader.js';
export { ImzmlReader } from './imzml/reader.js';
export { AndiReader } from './netcdf/reader.js';
export { ChemstationReader } from './chemstation/reader.js';
export { ThermoRawReader, findThermoRawFileParser, type ThermoTool } from './thermo.js';
export { decodeLinear, decodePic, decodeSlof } from './binary/numpress.js';
export { convert, CONVERT_TARGETS, type ConvertTarget } from './convert/index.js';
export { MzmlWriter } from './convert/mzml-writer.js';
export { readExcel, excelSheets } from './tables/excel.js';
export { readCsv } from './tables/csv.js';
export { readPdfText, readDocxText } from './tables/documents.js';
export type { CellValue, Table } from './tables/types.js';
export { writeExcelReport, writeWordReport, writePdfReport } from './reports/writers.js';
export type { Report, ReportSection, ReportTable } from './reports/types.js';
