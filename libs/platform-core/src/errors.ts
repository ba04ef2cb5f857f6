/** The error codes of the platform's HTTP contract and the status each one answers with. */
export const ERROR_STATUS = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  JOB_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  JOB_FAILED: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RANGE_NOT_SATISFIABLE: 416,
  UNPROCESSABLE_ENTITY: 422,
  JOB_NOT_READY: 425,
  RATE_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  EXTERNAL_SERVICE_ERROR: 502,
  SERVICE_UNAVAILABLE: 503,
  TIMEOUT: 504,
  INSUFFICIENT_STORAGE: 507,
} as const;

export type StandardErrorCode = keyof typeof ERROR_STATUS;
/** Services may add codes of their own; they then pass an explicit status. */
export type ErrorCode = StandardErrorCode | (string & {});

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

/** The single error envelope every service answers with. */
export interface ErrorEnvelope {
  code: string;
  message: string;
  request_id: string;
  details?: unknown[];
}

export interface AppErrorOptions {
  status?: number;
  details?: unknown[];
  headers?: Record<string, string>;
  cause?: unknown;
}

function isStandardCode(code: string): code is StandardErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/** An error whose code, status and message are safe to show the caller. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown[] | undefined;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? (isStandardCode(code) ? ERROR_STATUS[code] : 500);
    this.details = options.details;
    this.headers = options.headers ?? {};
  }

  toEnvelope(requestId: string): ErrorEnvelope {
    const envelope: ErrorEnvelope = { code: this.code, message: this.message, request_id: requestId };
    if (this.details !== undefined && this.details.length > 0) envelope.details = this.details;
    return envelope;
  }
}

export const invalidInput = (message: string, details?: ErrorDetail[]): AppError =>
  new AppError('INVALID_INPUT', message, details ? { details } : {});

export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Best-effort message of an unknown thrown value, for logs and system error reports. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

/** A user's value quoted in a message, cut to `max` characters so a huge input is never echoed back. */
export function quoted(value: string, max = 80): string {
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(shown);
}
