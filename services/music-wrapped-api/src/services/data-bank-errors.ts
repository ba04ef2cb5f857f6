import {
  AppError,
  DataBankError,
  DataBankNotFoundError,
  DataBankStorageFullError,
  DataBankTooLargeError,
  DataBankUnavailableError,
} from '@platform/core';

/** A data-bank failure as an answer that names no URL and no upstream body (those stay in the cause, for logs). */
function dataBankFailure(error: unknown): unknown {
  if (!(error instanceof DataBankError)) return error;
  const cause = { cause: error };
  if (error instanceof DataBankNotFoundError) return new AppError('JOB_FAILED', 'the stored file has expired', cause);
  if (error instanceof DataBankTooLargeError) return new AppError('PAYLOAD_TOO_LARGE', 'the file is larger than the file store accepts', cause);
  if (error instanceof DataBankStorageFullError) return new AppError('INSUFFICIENT_STORAGE', 'the file store is full', cause);
  if (error instanceof DataBankUnavailableError || error.status === 0) {
    return new AppError('SERVICE_UNAVAILABLE', 'the file store is unavailable; retry shortly', { headers: { 'retry-after': '5' }, ...cause });
  }
  return new AppError('EXTERNAL_SERVICE_ERROR', 'the file store failed', cause);
}

/** Runs a data-bank call whose failure becomes 410, 413, 503, 507 or 502 instead of a 500. */
export async function viaDataBank<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw dataBankFailure(error);
  }
}
