import { AppError } from '../errors.js';

/** Why a guarded fetch failed; for logs only, never shown to the user. */
export type FetchFailureReason =
  | 'invalid_url'
  | 'scheme'
  | 'credentials'
  | 'blocked_address'
  | 'dns'
  | 'network'
  | 'tls'
  | 'timeout'
  | 'aborted'
  | 'too_large'
  | 'too_many_redirects'
  | 'status';

export const URL_NOT_FETCHABLE = 'URL_NOT_FETCHABLE';
export const URL_NOT_FETCHABLE_MESSAGE = 'The URL could not be fetched';

/**
 * The one error every guarded-fetch failure becomes: 400 with the same code and message whatever went
 * wrong, so answers never tell a caller which addresses or ports exist. `reason` and `cause` say what
 * really happened, for logs.
 */
export class UrlNotFetchableError extends AppError {
  readonly reason: FetchFailureReason;

  constructor(reason: FetchFailureReason, cause: unknown) {
    super(URL_NOT_FETCHABLE, URL_NOT_FETCHABLE_MESSAGE, { status: 400, cause });
    this.name = 'UrlNotFetchableError';
    this.reason = reason;
  }
}

/** A failure found by our own checks, with a description of it for the logs. */
export const refuse = (reason: FetchFailureReason, description: string) => new UrlNotFetchableError(reason, new Error(description));

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error; current instanceof Error; current = current.cause) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined) codes.push(code);
  }
  return codes;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|ALTNAME/;

/** Classifies what undici or the socket threw once our own checks had passed. */
export function transportFailure(error: unknown): UrlNotFetchableError {
  if (error instanceof UrlNotFetchableError) return error;
  const tls = errorCodes(error).some((code) => TLS_CODE.test(code));
  return new UrlNotFetchableError(tls ? 'tls' : 'network', error);
}
