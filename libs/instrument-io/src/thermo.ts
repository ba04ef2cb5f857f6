import { access, constants, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import { InstrumentFileError, MissingToolError } from './errors.js';
import { MzmlReader } from './mzml/reader.js';
import type { Chromatogram, InstrumentReader, Run, Spectrum } from './types.js';

const NAMES = ['ThermoRawFileParser', 'ThermoRawFileParser.sh', 'thermorawfileparser', 'ThermoRawFileParser.exe'];

export interface ThermoTool {
  command: string;
  args: string[];
}

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, path.endsWith('.exe') ? constants.R_OK : constants.X_OK);
    return true;
  } catch {
    // Missing or not executable: this candidate is skipped, the next one is tried.
    return false;
  }
}

/**
 * Finds ThermoRawFileParser: the configured path, else the first of its usual names on PATH. The
 * .NET Framework build (.exe) runs under mono, which must then be on PATH too.
 */
export async function findThermoRawFileParser(options: { configured?: string; path: string }): Promise<ThermoTool | undefined> {
  const dirs = options.path.split(delimiter).filter((d) => d !== '');
  const candidates = options.configured ? [options.configured] : dirs.flatMap((d) => NAMES.map((n) => join(d, n)));
  for (const candidate of candidates) {
    if (!(await executable(candidate))) continue;
    if (!candidate.endsWith('.exe')) return { command: candidate, args: [] };
    for (const dir of dirs) {
      const mono = join(dir, 'mono');
      if (await executable(mono)) return { command: mono, args: [candidate] };
    }
  }
  return undefined;
}

/**
 * Thermo .raw: converted once to indexed mzML by ThermoRawFileParser (`-f=2`) into a temporary
 * folder, then read with the mzML reader. `close()` removes the conversion.
 */
export class ThermoRawReader implements InstrumentReader {
  private converted: Promise<{ reader: MzmlReader; dir: string }> | undefined;

  constructor(
    readonly path: string,
    private readonly tool: ThermoTool | undefined,
    private readonly timeoutMs = 30 * 60_000,
  ) {}

  private mzml(): Promise<{ reader: MzmlReader; dir: string }> {
    this.converted ??= this.convert();
    return this.converted;
  }

  private async convert(): Promise<{ reader: MzmlReader; dir: string }> {
    if (!this.tool) {
      throw new MissingToolError(
        `reading Thermo .raw needs ThermoRawFileParser (https://github.com/compomics/ThermoRawFileParser): install it on PATH or set THERMO_RAW_FILE_PARSER (${this.path})`,
      );
    }
    const dir = await mkdtemp(join(tmpdir(), 'instrument-io-raw-'));
    const args = [...this.tool.args, `-i=${this.path}`, `-o=${dir}`, '-f=2'];
    // Loaded here so that reading other formats does not load the platform core.
    const { runChild } = await import('@platform/core');
    const result = await runChild(this.tool.command, args, { timeoutMs: this.timeoutMs });
    const outputs = (await readdir(dir)).filter((n) => /\.mzml$/i.test(n));
    const output = outputs[0];
    if (result.code !== 0 || output === undefined) {
      await rm(dir, { recursive: true, force: true });
      const why = result.stderr.toString('utf8').trim().split('\n').at(-1) ?? '';
      throw new InstrumentFileError(
        this.path,
        undefined,
        `a .raw file ThermoRawFileParser can convert (exit ${String(result.code)}${why ? `: ${why}` : ''})`,
      );
    }
    return { reader: new MzmlReader(join(dir, output)), dir };
  }

  async run(): Promise<Run> {
    const run = await (await this.mzml()).reader.run();
    return { ...run, metadata: { ...run.metadata, raw_file: basename(this.path), converted_by: 'ThermoRawFileParser' } };
  }

  async *spectra(): AsyncIterableIterator<Spectrum> {
    yield* (await this.mzml()).reader.spectra();
  }

  async *spectrumHeaders(): AsyncIterableIterator<Spectrum> {
    yield* (await this.mzml()).reader.spectrumHeaders();
  }

  async *chromatograms(): AsyncIterableIterator<Chromatogram> {
    yield* (await this.mzml()).reader.chromatograms();
  }

  async get(idOrIndex: string | number): Promise<Spectrum> {
    return (await this.mzml()).reader.get(idOrIndex);
  }

  async close(): Promise<void> {
    if (!this.converted) return;
    // A failed conversion already removed its folder and reported its error to the caller.
    const { dir } = await this.converted.catch(() => ({ dir: undefined }));
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
