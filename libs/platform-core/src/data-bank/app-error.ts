import { AppError } from '../errors.js';
import { DataBankError, DataBankStorageFullError, DataBankTooLargeError, DataBankUnavailableError } from './client.js';

/**
 * A data-bank failure as an answer a service can give its own caller (or record as a job's system
 * error): 503 with Retry-After when data-bank is unreachable or failing, 413 and 507 when it refuses
 * a file as too large or is full, 502 for any other unexpected answer. The message never carries
 * data-bank's URL, key or body (the original stays as `cause`, for logs). Anything that is not a
 * DataBankError is returned as it is, so the call reads `catch((error) => { throw dataBankFailure(error) })`.
 */
export function dataBankFailure(error: unknown): unknown {
  if (!(error instanceof DataBankError)) return error;
  if (error instanceof DataBankUnavailableError) {
    return new AppError('SERVICE_UNAVAILABLE', 'data-bank is unavailable; try again later', {
      headers: { 'retry-after': '5' },
      cause: error,
    });
  }
  if (error instanceof DataBankTooLargeError)
    return new AppError('PAYLOAD_TOO_LARGE', 'data-bank refused the file as too large', { cause: error });
  if (error instanceof DataBankStorageFullError)
    return new AppError('INSUFFICIENT_STORAGE', 'data-bank has no room for the file', { cause: error });
  return new AppError('EXTERNAL_SERVICE_ERROR', 'data-bank answered unexpectedly', { cause: error });
}
