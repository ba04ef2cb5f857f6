import { AppError, DataBankNotFoundError, dataBankFailure } from '@platform/core';

/**
 * Runs a data-bank call whose failure becomes an answer naming no URL or upstream body: 410 when a
 * stored file has expired, else core's mapping (503, 413, 507 or 502) instead of a 500.
 */
export async function viaDataBank<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof DataBankNotFoundError) {
      throw new AppError('JOB_FAILED', 'the stored file has expired', { cause: error });
    }
    throw dataBankFailure(error);
  }
}
