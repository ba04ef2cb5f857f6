import { finished } from 'node:stream/promises';
import { startChild, type ChildExit, type ChildOptions } from './child-group.js';

export interface RunChildOptions extends ChildOptions {
  /** Written to the child's stdin, which is then closed. */
  input?: string | Buffer;
  /** Bytes kept of each of stdout and stderr (default 1 MiB): stdout keeps its start, stderr its end. */
  maxOutputBytes?: number;
}

export interface ChildResult extends ChildExit {
  stdout: Buffer;
  stderr: Buffer;
  /** True when more output came than `maxOutputBytes` and some was dropped. */
  truncated: boolean;
}

/** Collects a stream, keeping at most `max` bytes: the first ones, or the last ones (in linear time). */
function collect(stream: NodeJS.ReadableStream, max: number, keep: 'head' | 'tail') {
  const chunks: Buffer[] = [];
  let size = 0;
  let dropped = false;
  stream.on('data', (chunk: Buffer) => {
    if (keep === 'head' && size >= max) {
      dropped = true;
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
    while (keep === 'tail' && chunks.length > 1 && size - (chunks[0]?.length ?? 0) >= max) {
      size -= chunks.shift()?.length ?? 0;
      dropped = true;
    }
  });
  return () => {
    const all = Buffer.concat(chunks);
    if (all.length <= max) return { bytes: all, dropped };
    return { bytes: keep === 'head' ? all.subarray(0, max) : all.subarray(all.length - max), dropped: true };
  };
}

// Only waits for the pipe to end: a pipe broken by the child's death is not a failure of the run (its exit code is).
const drained = (stream: NodeJS.ReadableStream) => finished(stream).catch(() => undefined);

/**
 * Runs a child in its own process group (see `startChild`) and resolves once it ends, with its exit
 * and its bounded output. A non-zero exit is not an error here: the caller reads `code` and `ended`.
 */
export async function runChild(command: string, args: readonly string[], options: RunChildOptions = {}): Promise<ChildResult> {
  const child = await startChild(command, args, options);
  const max = options.maxOutputBytes ?? 1024 * 1024;
  const stdout = collect(child.stdout, max, 'head');
  const stderr = collect(child.stderr, max, 'tail');
  // A child that exits without reading its input must not crash the parent with EPIPE.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.input);
  const [exit] = await Promise.all([child.exit, drained(child.stdout), drained(child.stderr)]);
  const out = stdout();
  const err = stderr();
  return { ...exit, stdout: out.bytes, stderr: err.bytes, truncated: out.dropped || err.dropped };
}
