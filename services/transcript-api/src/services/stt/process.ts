import { runChild, type ScratchJob } from '@platform/core';

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  /** Aborting stops the program's whole process group; the call then rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  /** The job's scratch dir: the program's group is recorded there, so a sweep can end it after a crash. */
  scratch?: ScratchJob | undefined;
  /** Bytes kept of stdout and of stderr (default 1 MiB). */
  maxOutputBytes?: number;
}

/** The program is not installed (or not at the configured path). */
export class MissingToolError extends Error {
  constructor(readonly tool: string) {
    super(`${tool} is not installed or not on PATH`);
    this.name = 'MissingToolError';
  }
}

/**
 * Runs a program to completion in its own process group (core's `runChild`), collecting its output.
 * A non-zero exit is the caller's to read; aborting, or the process shutting down, rejects.
 */
export async function runProcess(command: string, args: string[], options: ProcessOptions = {}): Promise<ProcessResult> {
  const { signal, scratch, maxOutputBytes } = options;
  let result;
  try {
    result = await runChild(command, args, {
      ...(signal && { signal }),
      ...(scratch && { scratch }),
      ...(maxOutputBytes !== undefined && { maxOutputBytes }),
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingToolError(command);
    throw error;
  }
  if (result.ended === 'aborted') throw signal?.reason ?? new Error(`${command} was stopped`);
  if (result.ended !== 'exited') throw new Error(`${command} was stopped (${result.ended})`);
  return {
    code: result.code ?? -1,
    stdout: result.stdout.toString('utf8'),
    stderr: result.stderr.toString('utf8'),
  };
}

/** Absolute paths (temp files, the job dir), which never belong in a message a user reads. */
const ABSOLUTE_PATH = /(?<![\w.])\/[^\s:'",]+/g;

/** The last line of a tool's stderr, cut to 300 characters, with file paths replaced by `<file>`. */
export const toolErrorLine = (stderr: string): string =>
  (stderr.trim().split('\n').at(-1) ?? '').replace(ABSOLUTE_PATH, '<file>').slice(0, 300);
