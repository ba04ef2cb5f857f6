/** Why an artifact was refused: the caller can tell tampering from a bad path or a bomb. */
export type ArtifactRefusal =
  | 'not-xz'
  | 'not-tar'
  | 'too-large'
  | 'too-many-entries'
  | 'unsafe-path'
  | 'unsupported-entry'
  | 'manifest-missing'
  | 'manifest-invalid'
  | 'unlisted-file'
  | 'duplicate-file'
  | 'missing-file'
  | 'hash-mismatch'
  | 'size-mismatch'
  | 'destination-not-empty';

/** An artifact that cannot be packed or unpacked safely; nothing of it is left on disk. */
export class ArtifactError extends Error {
  readonly reason: ArtifactRefusal;

  constructor(reason: ArtifactRefusal, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'ArtifactError';
    this.reason = reason;
  }
}

/** No Python interpreter able to run the kernels; the message says what to install or set. */
export class KernelUnavailableError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'KernelUnavailableError';
  }
}

/** Who is to blame for a failed kernel run: the request (bad input) or the system (crash, kill, bug). */
export type KernelFailureKind = 'user' | 'system';

export interface KernelFailureDetails {
  kind: KernelFailureKind;
  /** The exit code, or null when a signal ended it (or it never exited on its own). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the run was cancelled through its abort signal. */
  cancelled: boolean;
  /** The end of the kernel's stderr, for the job's failure report. */
  stderrTail: string;
}

/** A kernel run that ended without a result: an error event, a non-zero exit, or no result event. */
export class KernelFailedError extends Error implements KernelFailureDetails {
  readonly kind: KernelFailureKind;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly cancelled: boolean;
  readonly stderrTail: string;

  constructor(message: string, details: KernelFailureDetails) {
    super(message);
    this.name = 'KernelFailedError';
    this.kind = details.kind;
    this.code = details.code;
    this.signal = details.signal;
    this.cancelled = details.cancelled;
    this.stderrTail = details.stderrTail;
  }
}
