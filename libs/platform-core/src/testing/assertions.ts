import type { ObservedResponse } from './http.js';

/** A broken promise of the HTTP contract; its message says which and shows the answer. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

const NO_BODY_STATUSES = new Set([204, 304]);

function snippet(body: Buffer): string {
  const text = body.toString('utf8');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function header(response: ObservedResponse, name: string): string | undefined {
  const value = response.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function assertEnvelope(response: ObservedResponse, requestId: string): void {
  if (response.method.toUpperCase() === 'HEAD' || NO_BODY_STATUSES.has(response.status)) return;
  let body: unknown;
  try {
    body = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new ContractViolation(`${response.status} body is not JSON: ${snippet(response.body)}`);
  }
  const envelope = (body ?? {}) as Record<string, unknown>;
  const fields = ['code', 'message', 'request_id'] as const;
  if (fields.some((field) => typeof envelope[field] !== 'string')) {
    throw new ContractViolation(`${response.status} body is not the {code, message, request_id} envelope: ${snippet(response.body)}`);
  }
  if (envelope.request_id !== requestId) {
    throw new ContractViolation(
      `${response.status} envelope request_id ${String(envelope.request_id)} differs from x-request-id ${requestId}`,
    );
  }
}

/**
 * The platform's promises for any answer: never a 500, no other 5xx unless allowed, an x-request-id
 * header, and every 4xx/5xx in the error envelope carrying that request id.
 */
export function assertPlatformResponse(response: ObservedResponse, allowStatuses: ReadonlySet<number> = new Set()): void {
  if (response.status === 500 || (response.status > 500 && !allowStatuses.has(response.status))) {
    throw new ContractViolation(`answered ${response.status}: ${snippet(response.body)}`);
  }
  const requestId = header(response, 'x-request-id');
  if (requestId === undefined || requestId === '') {
    throw new ContractViolation(`${response.status} answer has no x-request-id header`);
  }
  if (response.status >= 400) assertEnvelope(response, requestId);
}

/** The process still serves: GET /healthz answers 200 within `withinMs`. */
export async function assertHealthy(baseUrl: string, withinMs = 1_000): Promise<void> {
  let status: number;
  try {
    status = (await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(withinMs) })).status;
  } catch (error) {
    throw new ContractViolation(`GET /healthz did not answer within ${withinMs} ms (${(error as Error).message})`);
  }
  if (status !== 200) throw new ContractViolation(`GET /healthz answered ${status}, not 200`);
}

/** Statuses a protected route may answer without a valid key, or a spelling that is no route at all. */
const DENIALS = new Set([400, 401, 403, 404, 405]);

/** A request without a valid key is refused (or is simply not a route): never 2xx or 3xx. */
export function assertDenied(response: ObservedResponse): void {
  if (!DENIALS.has(response.status)) {
    throw new ContractViolation(`answered ${response.status} without a valid key: ${snippet(response.body)}`);
  }
  assertPlatformResponse(response);
}

/** The canonical spelling without a key is a 401 envelope. */
export function assertUnauthorized(response: ObservedResponse): void {
  if (response.status !== 401) {
    throw new ContractViolation(`answered ${response.status} without a key, not 401: ${snippet(response.body)}`);
  }
  assertPlatformResponse(response);
}
