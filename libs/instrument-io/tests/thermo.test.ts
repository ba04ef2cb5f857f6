import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { MissingToolError } from '../src/errors.js';
import { openInstrumentFile } from '../src/open.js';
import { findThermoRawFileParser, ThermoRawReader } from '../src/thermo.js';
import { collect, fixture, tempDir } from './helpers.js';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let raw: string;
beforeAll(async () => {
  tmp = await tempDir();
  // The first bytes of every Thermo .raw: a 0xA101 marker and "Finnigan" in UTF-16LE.
  raw = join(tmp.dir, 'run.raw');
  await writeFile(raw, Buffer.concat([Buffer.from([0x01, 0xa1]), Buffer.from('Finnigan', 'utf16le'), Buffer.alloc(64)]));
});
afterAll(async () => {
  await tmp.cleanup();
});

describe('Thermo .raw through ThermoRawFileParser', () => {
  it('is detected, and a clear error when the parser is not installed', async () => {
    const reader = await openInstrumentFile(raw, { thermo: { path: tmp.dir } });
    expect(reader).toBeInstanceOf(ThermoRawReader);
    await expect(reader.run()).rejects.toThrow(MissingToolError);
    await expect(reader.run()).rejects.toThrow(/needs ThermoRawFileParser/);
  });

  it('the CLI answers exit code 2 and one line', async () => {
    const err = new PassThrough();
    const lines: string[] = [];
    err.on('data', (c: Buffer) => lines.push(c.toString()));
    // PATH of the test machine has no ThermoRawFileParser
    expect(await runCli(['summary', raw], new PassThrough(), err)).toBe(2);
    expect(lines.join('')).toMatch(/^instrument-io: reading Thermo \.raw needs ThermoRawFileParser.*\n$/);
  });

  it('a file that only ends in .raw is refused before any conversion', async () => {
    const fake = join(tmp.dir, 'fake.raw');
    await writeFile(fake, 'not a raw file at all');
    await expect(openInstrumentFile(fake, { thermo: { path: tmp.dir } })).rejects.toThrow(/Finnigan/);
  });

  it('finds the parser on PATH and reads the mzML it writes (-i= -o= -f=2)', async () => {
    // ThermoRawFileParser needs .NET and Thermo's DLLs; this stand-in speaks its command line and
    // writes what it would write for -f=2 (indexed mzML named after the input).
    const bin = join(tmp.dir, 'bin');
    await (await import('node:fs/promises')).mkdir(bin);
    const script = join(bin, 'ThermoRawFileParser');
    await writeFile(
      script,
      `#!/bin/sh\nfor a in "$@"; do case "$a" in -i=*) in="\${a#-i=}";; -o=*) out="\${a#-o=}";; -f=2) f=2;; esac; done\n` +
        `[ "$f" = 2 ] || exit 3\ncp "${fixture('mzml', 'tiny.pwiz.1.1.mzML')}" "$out/$(basename "$in" .raw).mzML"\n`,
    );
    await chmod(script, 0o755);
    const tool = await findThermoRawFileParser({ path: `${join(tmp.dir, 'nothing')}:${bin}` });
    expect(tool).toEqual({ command: script, args: [] });
    const reader = new ThermoRawReader(raw, tool);
    expect(await reader.run()).toMatchObject({ format: 'indexedmzML', spectrumCount: 4 });
    expect((await collect(reader.spectra())).map((s) => s.id)).toContain('scan=20');
    expect((await reader.get('scan=20')).msLevel).toBe(2);
    await reader.close();
  });
});
