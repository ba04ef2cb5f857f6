import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { Chromatogram, Run, Spectrum } from '../types.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cv = (accession: string, name: string, value = '', unit?: [string, string]): string =>
  `<cvParam cvRef="${accession.slice(0, 2)}" accession="${accession}" name="${name}" value="${esc(value)}"${
    unit ? ` unitCvRef="${unit[0].slice(0, 2)}" unitAccession="${unit[0]}" unitName="${unit[1]}"` : ''
  }/>`;

function chromatogramType(c: Chromatogram): string {
  if (/^tic$/i.test(c.id)) return cv('MS:1000235', 'total ion current chromatogram');
  if (c.wavelengthNm !== undefined) return cv('MS:1000812', 'absorption chromatogram');
  return cv('MS:1000810', 'ion current chromatogram');
}

const INTENSITY = cv('MS:1000515', 'intensity array', '', ['MS:1000131', 'number of detector counts']);

function binaryArray(values: Float64Array, kind: string, extra = ''): string {
  const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
  const encoded = values.length === 0 ? '' : deflateSync(bytes).toString('base64');
  return `<binaryDataArray encodedLength="${String(encoded.length)}">${cv('MS:1000523', '64-bit float')}${cv(
    'MS:1000574',
    'zlib compression',
  )}${kind}${extra}<binary>${encoded}</binary></binaryDataArray>`;
}

/**
 * Writes indexedmzML 1.1 (64-bit float, zlib) with a correct offset index, one element at a time, so
 * converting a large file keeps memory flat.
 */
export class MzmlWriter {
  private readonly stream;
  private bytes = 0;
  private readonly sha1 = createHash('sha1');
  private readonly spectra: Array<[string, number]> = [];
  private readonly chromatograms: Array<[string, number]> = [];

  constructor(path: string) {
    this.stream = createWriteStream(path);
  }

  private async write(text: string, hashed = true): Promise<void> {
    this.bytes += Buffer.byteLength(text);
    if (hashed) this.sha1.update(text);
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }

  async begin(run: Run): Promise<void> {
    await this.write(
      '<?xml version="1.0" encoding="utf-8"?>\n' +
        '<indexedmzML xmlns="http://psi.hupo.org/ms/mzml" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://psi.hupo.org/ms/mzml http://psidev.info/files/ms/mzML/xsd/mzML1.1.0_idx.xsd">\n' +
        '<mzML xmlns="http://psi.hupo.org/ms/mzml" version="1.1.0">\n' +
        '<cvList count="2"><cv id="MS" fullName="Proteomics Standards Initiative Mass Spectrometry Ontology" URI="https://raw.githubusercontent.com/HUPO-PSI/psi-ms-CV/master/psi-ms.obo"/><cv id="UO" fullName="Unit Ontology" URI="https://raw.githubusercontent.com/bio-ontology-research-group/unit-ontology/master/unit.obo"/></cvList>\n' +
        `<fileDescription><fileContent>${cv('MS:1000580', 'MSn spectrum')}</fileContent></fileDescription>\n` +
        '<softwareList count="1"><software id="instrument-io" version="0.1.0"><cvParam cvRef="MS" accession="MS:1000799" name="custom unreleased software tool" value="@platform/instrument-io"/></software></softwareList>\n' +
        `<instrumentConfigurationList count="1"><instrumentConfiguration id="IC1">${cv('MS:1000031', 'instrument model')}${
          run.instrument ? `<userParam name="instrument" value="${esc(run.instrument)}"/>` : ''
        }</instrumentConfiguration></instrumentConfigurationList>\n` +
        '<dataProcessingList count="1"><dataProcessing id="conversion"><processingMethod order="1" softwareRef="instrument-io">' +
        `${cv('MS:1000544', 'Conversion to mzML')}</processingMethod></dataProcessing></dataProcessingList>\n` +
        `<run id="run1" defaultInstrumentConfigurationRef="IC1"${run.started ? ` startTimeStamp="${esc(run.started)}"` : ''}>\n` +
        '<spectrumList count="' +
        String(run.spectrumCount) +
        '" defaultDataProcessingRef="conversion">\n',
    );
  }

  async spectrum(s: Spectrum): Promise<void> {
    this.spectra.push([s.id, this.bytes]);
    const params = [
      cv('MS:1000511', 'ms level', String(s.msLevel)),
      s.msLevel === 1 ? cv('MS:1000579', 'MS1 spectrum') : cv('MS:1000580', 'MSn spectrum'),
    ];
    if (s.polarity === 'positive') params.push(cv('MS:1000130', 'positive scan'));
    if (s.polarity === 'negative') params.push(cv('MS:1000129', 'negative scan'));
    if (s.mode === 'centroid') params.push(cv('MS:1000127', 'centroid spectrum'));
    if (s.mode === 'profile') params.push(cv('MS:1000128', 'profile spectrum'));
    const scan =
      s.retentionTimeSeconds === undefined
        ? '<scan/>'
        : `<scan>${cv('MS:1000016', 'scan start time', String(s.retentionTimeSeconds), ['UO:0000010', 'second'])}</scan>`;
    const precursors = s.precursors.length
      ? `<precursorList count="${String(s.precursors.length)}">${s.precursors
          .map(
            (p) =>
              `<precursor${p.spectrumRef ? ` spectrumRef="${esc(p.spectrumRef)}"` : ''}><selectedIonList count="1"><selectedIon>${cv(
                'MS:1000744',
                'selected ion m/z',
                String(p.mz),
                ['MS:1000040', 'm/z'],
              )}${p.charges.map((c) => cv('MS:1000041', 'charge state', String(c))).join('')}${
                p.intensity === undefined
                  ? ''
                  : cv('MS:1000042', 'peak intensity', String(p.intensity), ['MS:1000131', 'number of detector counts'])
              }</selectedIon></selectedIonList><activation>${cv('MS:1000044', 'dissociation method')}</activation></precursor>`,
          )
          .join('')}</precursorList>`
      : '';
    await this.write(
      `<spectrum index="${String(this.spectra.length - 1)}" id="${esc(s.id)}" defaultArrayLength="${String(s.mz.length)}">` +
        `${params.join('')}<scanList count="1">${cv('MS:1000795', 'no combination')}${scan}</scanList>${precursors}` +
        `<binaryDataArrayList count="2">${binaryArray(s.mz, cv('MS:1000514', 'm/z array', '', ['MS:1000040', 'm/z']))}` +
        `${binaryArray(s.intensity, INTENSITY)}</binaryDataArrayList></spectrum>\n`,
    );
  }

  private hasChromatograms = false;

  /** Closes the spectrum list; mzML forbids an empty chromatogram list, so none is opened for 0. */
  async beginChromatograms(count: number): Promise<void> {
    this.hasChromatograms = count > 0;
    await this.write(
      `</spectrumList>\n${this.hasChromatograms ? `<chromatogramList count="${String(count)}" defaultDataProcessingRef="conversion">\n` : ''}`,
    );
  }

  async chromatogram(c: Chromatogram): Promise<void> {
    this.chromatograms.push([c.id, this.bytes]);
    const unit: [string, string] = c.unit === 'minute' ? ['UO:0000031', 'minute'] : ['UO:0000010', 'second'];
    await this.write(
      `<chromatogram index="${String(this.chromatograms.length - 1)}" id="${esc(c.id)}" defaultArrayLength="${String(c.time.length)}">` +
        chromatogramType(c) +
        `<binaryDataArrayList count="2">${binaryArray(c.time, cv('MS:1000595', 'time array', '', unit))}` +
        `${binaryArray(c.intensity, INTENSITY)}</binaryDataArrayList></chromatogram>\n`,
    );
  }

  async end(): Promise<void> {
    await this.write(`${this.hasChromatograms ? '</chromatogramList>\n' : ''}</run>\n</mzML>\n`);
    const indexOffset = this.bytes;
    const list = (name: string, entries: Array<[string, number]>) =>
      `<index name="${name}">\n${entries.map(([id, at]) => `<offset idRef="${esc(id)}">${String(at)}</offset>\n`).join('')}</index>\n`;
    await this.write(
      `<indexList count="2">\n${list('spectrum', this.spectra)}${list('chromatogram', this.chromatograms)}</indexList>\n` +
        `<indexListOffset>${String(indexOffset)}</indexListOffset>\n<fileChecksum>`,
    );
    // The checksum covers the file up to and including the opening fileChecksum tag.
    await this.write(`${this.sha1.digest('hex')}</fileChecksum>\n</indexedmzML>\n`, false);
    this.stream.end();
    await once(this.stream, 'finish');
  }
}
