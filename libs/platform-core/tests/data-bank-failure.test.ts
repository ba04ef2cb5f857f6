import { describe, expect, it } from 'vitest';
import {
  AppError,
  createDataBankClient,
  dataBankFailure,
  DataBankAuthError,
  DataBankStorageFullError,
  DataBankTooLargeError,
} from '../src/index.js';

const id = 'a'.repeat(64);

describe('dataBankFailure', () => {
  it('answers an unreachable data-bank with 503 and Retry-After, never its URL', async () => {
    const nowhere = createDataBankClient({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 0 } });
    const failure = await nowhere.info(id).catch((error: unknown) => dataBankFailure(error));
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', headers: { 'retry-after': '5' } });
    expect((failure as AppError).message).not.toContain('127.0.0.1');
  });

  it('maps refusals to 413, 507 and anything else to 502, and leaves other errors alone', () => {
    const body = 'secret upstream body';
    expect(dataBankFailure(new DataBankTooLargeError(body, { status: 413 }))).toMatchObject({ status: 413 });
    expect(dataBankFailure(new DataBankStorageFullError(body, { status: 507 }))).toMatchObject({ status: 507 });
    const other = dataBankFailure(new DataBankAuthError(body, { status: 401 }));
    expect(other).toMatchObject({ status: 502, code: 'EXTERNAL_SERVICE_ERROR' });
    expect((other as AppError).message).not.toContain(body);
    const plain = new Error('not data-bank');
    expect(dataBankFailure(plain)).toBe(plain);
  });
});
