import { UrlNotFetchableError, URL_NOT_FETCHABLE_MESSAGE, type Logger } from '@platform/core';
import { UserError } from '@platform/workers';

/**
 * GET from an endpoint the operator configured (the Wikipedia dump server, the Hugging Face Hub), named
 * by `label` in messages so that no URL reaches a job's error: 4xx and an unreachable server are the
 * user's errors, 5xx ours.
 */
export async function fetchSource(
  url: string,
  signal: AbortSignal,
  { label, headers = {} }: { label: string; headers?: Record<string, string> },
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new UserError(`could not reach ${label}`, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    const message = `${label} answered HTTP ${response.status}`;
    if (response.status >= 400 && response.status < 500) throw new UserError(message);
    throw new Error(message);
  }
  return response;
}

/**
 * A guarded-fetch failure (of a URL a user chose) as the one generic user error, whether it came when
 * connecting or while the body was read; the real reason is only logged. Other errors are unchanged.
 */
export function asUserError(error: unknown, logger: Logger): unknown {
  if (!(error instanceof UrlNotFetchableError)) return error;
  logger.warn({ reason: error.reason, err: error.cause }, 'url source not fetchable');
  return new UserError(URL_NOT_FETCHABLE_MESSAGE);
}
