/**
 * The one error every reader throws on truncated, corrupt or unexpected input: it names the file,
 * the byte offset where reading failed (when known) and what the reader expected there.
 */
export class InstrumentFileError extends Error {
  override readonly name = 'InstrumentFileError';

  constructor(
    readonly file: string,
    readonly offset: number | undefined,
    readonly expected: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}${offset === undefined ? '' : ` at byte ${String(offset)}`}: expected ${expected}`, options);
  }
}

/** Raised when a format needs an external program (ThermoRawFileParser) that is not installed. */
export class MissingToolError extends Error {
  override readonly name = 'MissingToolError';
}
