import { AppError, HttpError, HttpNetworkError, HttpTimeoutError } from '@platform/core';

/**
 * A music service's failure as 502 EXTERNAL_SERVICE_ERROR naming only the service and what went wrong:
 * never its URL (Last.fm's carries the session key and signature) nor its body. AppErrors (refused
 * credentials, 401) pass as they are.
 */
function upstreamFailure(service: string, error: unknown): unknown {
  if (error instanceof AppError) return error;
  let what = 'answered in an unexpected form';
  if (error instanceof HttpError) what = `answered HTTP ${String(error.status)}`;
  else if (error instanceof HttpTimeoutError) what = 'did not answer in time';
  else if (error instanceof HttpNetworkError) what = 'could not be reached';
  return new AppError('EXTERNAL_SERVICE_ERROR', `${service} ${what}`);
}

/** Runs a call to a music service; a cancelled call (the job's signal) fails with its own reason. */
export async function callUpstream<T>(service: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (signal?.aborted) throw error;
    throw upstreamFailure(service, error);
  }
}
