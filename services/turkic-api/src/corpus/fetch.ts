import { UserError } from '@platform/workers';

/** A source URL answered with an error or could not be reached; 4xx are the user's, the rest ours. */
export async function fetchSource(url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers, redirect: 'follow' });
  } catch (error) {
    if (signal.aborted) throw error;
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new UserError(`could not reach ${url}: ${cause}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    const message = `GET ${url} answered HTTP ${response.status}`;
    if (response.status >= 400 && response.status < 500) throw new UserError(message);
    throw new Error(message);
  }
  return response;
}
