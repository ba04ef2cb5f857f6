import { once } from 'node:events';
import type { Writable } from 'node:stream';

/** Writes one line, waiting for the stream to drain so that a long run keeps memory flat. */
export async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, 'drain');
}

export function jsonLine(out: Writable, value: unknown): Promise<void> {
  return writeLine(out, JSON.stringify(value));
}
