#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromatograms, spectra, summary } from './cli/commands.js';
import { convert, CONVERT_TARGETS, type ConvertTarget } from './convert/index.js';
import { InstrumentFileError, MissingToolError } from './errors.js';
import { openInstrumentFile } from './open.js';
import type { InstrumentReader } from './types.js';

const USAGE = `usage: instrument-io summary PATH
       instrument-io spectra PATH [--ms-level N] [--limit K]
       instrument-io chromatograms PATH [--scans]
       instrument-io convert PATH --to mzml|mgf|csv|xlsx OUT`;

class UsageError extends Error {}

const OPTIONS = {
  'ms-level': { type: 'string' },
  limit: { type: 'string' },
  scans: { type: 'boolean' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function integer(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number, got "${value}"`);
  return Number(value);
}

async function dispatch(
  command: string,
  reader: InstrumentReader,
  target: string | undefined,
  values: Values,
  out: Writable,
): Promise<void> {
  switch (command) {
    case 'summary':
      return summary(reader, out);
    case 'spectra':
      return spectra(reader, out, {
        msLevel: integer(values['ms-level'], '--ms-level'),
        limit: integer(values.limit, '--limit'),
      });
    case 'chromatograms':
      return chromatograms(reader, out, values.scans === true);
    case 'convert': {
      const to = values.to?.toLowerCase();
      if (!to || !(CONVERT_TARGETS as readonly string[]).includes(to) || !target) {
        throw new UsageError(`convert needs --to ${CONVERT_TARGETS.join('|')} and an output path`);
      }
      return convert(reader, to as ConvertTarget, target);
    }
    default:
      throw new UsageError(`unknown command "${command}" (instrument-io --help)`);
  }
}

/** Runs one command; returns the exit code (2 for bad input, with one line on `err`). */
export async function runCli(argv: string[], output: Writable, err: Writable): Promise<number> {
  try {
    const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
    const [command, path, target] = positionals;
    if (values.help) {
      output.write(`${USAGE}\n`);
      return 0;
    }
    if (!command || !path) throw new UsageError('a command and a PATH are needed (instrument-io --help)');
    if (!['summary', 'spectra', 'chromatograms', 'convert'].includes(command)) {
      throw new UsageError(`unknown command "${command}" (instrument-io --help)`);
    }
    const reader = await openInstrumentFile(path);
    try {
      await dispatch(command, reader, target, values, output);
    } finally {
      await reader.close?.();
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InstrumentFileError || error instanceof MissingToolError) {
      err.write(`instrument-io: ${error.message.split('\n')[0] ?? ''}\n`);
      return 2;
    }
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
      err.write(`instrument-io: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// Run when executed (also through npm's bin symlink), not when imported by tests.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  // A closed pipe (`| head`) ends the output; it is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(0);
  });
  process.exitCode = await runCli(process.argv.slice(2), process.stdout, process.stderr);
}
