/**
 * Writes an indexedmzML of a chosen size by repeating the spectra of the pyteomics test.mzML fixture
 * (two 19,914-point profile spectra, one zlib-compressed and one plain, 64-bit and 32-bit arrays)
 * with fresh ids, indices and scan times, and a correct offset index.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';

export async function generateMzml(fixture: string, out: string, targetBytes: number): Promise<{ spectra: number; bytes: number }> {
  const text = await readFile(fixture, 'latin1');
  const listStart = text.indexOf('<spectrumList');
  const spectra = [...text.matchAll(/<spectrum [\s\S]*?<\/spectrum>/g)].map((m) => m[0]);
  const chromatograms = /<chromatogramList[\s\S]*?<\/chromatogramList>/.exec(text)?.[0] ?? '';
  if (listStart < 0 || spectra.length === 0) throw new Error(`${fixture}: no spectra to repeat`);
  const stream = createWriteStream(out);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s, 'latin1');
    if (!stream.write(s, 'latin1')) await once(stream, 'drain');
  };
  const perSpectrum = spectra.reduce((n, s) => n + s.length, 0) / spectra.length;
  const count = Math.ceil(targetBytes / perSpectrum);
  const offsets: Array<[string, number]> = [];
  await write(text.slice(0, listStart));
  await write(`<spectrumList count="${String(count)}" defaultDataProcessingRef="pwiz_Reader_Thermo_conversion">\n`);
  for (let i = 0; i < count; i++) {
    const id = `scan=${String(i + 1)}`;
    const body = (spectra[i % spectra.length] ?? '')
      .replace(/^<spectrum [^>]*>/, (open) => open.replace(/index="\d+"/, `index="${String(i)}"`).replace(/id="[^"]*"/, `id="${id}"`))
      .replace(/(name="scan start time" value=")[^"]*"/, `$1${(i * 0.01).toFixed(4)}"`);
    offsets.push([id, bytes]);
    await write(`      ${body}\n`);
  }
  await write(`    </spectrumList>\n    ${chromatograms}\n  </run>\n</mzML>\n`);
  const indexAt = bytes;
  await write('<indexList count="1">\n<index name="spectrum">\n');
  for (const [id, at] of offsets) await write(`<offset idRef="${id}">${String(at)}</offset>\n`);
  await write(`</index>\n</indexList>\n<indexListOffset>${String(indexAt)}</indexListOffset>\n</indexedmzML>\n`);
  stream.end();
  await once(stream, 'finish');
  // Flushed to disk now, so that write-back does not compete with the timed reads.
  const handle = await open(out, 'r+');
  await handle.sync();
  await handle.close();
  return { spectra: count, bytes };
}
