/** What the console's server or a service answered as an error: its envelope's message, shown as it is. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    readonly details: { path?: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The message with the first detail, which usually names the field. */
  get full(): string {
    const detail = this.details[0];
    if (!detail) return this.message;
    return detail.path ? `${this.message} (${detail.path}: ${detail.message})` : `${this.message} (${detail.message})`;
  }
}

export interface SessionInfo {
  role: 'admin' | 'viewer';
  csrf_token: string;
  user_id: string;
  expires_at: string;
}

let session: SessionInfo | undefined;
let onUnauthorized: () => void = () => undefined;

export const currentSession = (): SessionInfo | undefined => session;
/** The user a job is queued for (CONSOLE_USER_ID); services that take it from the body need it there. */
export const sessionUserId = (): string => session?.user_id ?? '0';
export const setSession = (value: SessionInfo | undefined): void => {
  session = value;
};
export const whenUnauthorized = (handler: () => void): void => {
  onUnauthorized = handler;
};

export async function errorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; details?: unknown };
    if (typeof body.message === 'string') {
      const details = Array.isArray(body.details) ? (body.details as ApiError['details']) : [];
      return new ApiError(body.message, response.status, typeof body.code === 'string' ? body.code : 'ERROR', details);
    }
  } catch {
    // not an envelope: a proxy or the network answered
  }
  return new ApiError(`the server answered ${String(response.status)} ${response.statusText}`.trim(), response.status, 'HTTP_ERROR');
}

const SAFE = new Set(['GET', 'HEAD']);

/** fetch on the console's origin with the session's CSRF token; error statuses throw ApiError. */
export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!SAFE.has(method) && session) headers.set('x-csrf-token', session.csrf_token);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError('the console is not reachable; check your connection', 0, 'NETWORK');
  }
  if (response.ok) return response;
  const error = await errorFrom(response);
  if (response.status === 401 && !path.startsWith('/api/login')) onUnauthorized();
  throw error;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await call(path)).json()) as T;
}

export async function sendJson<T>(path: string, body: unknown, method = 'POST', accept = 'application/json'): Promise<T> {
  const response = await call(path, { method, headers: { 'content-type': 'application/json', accept }, body: JSON.stringify(body) });
  return (await response.json()) as T;
}

/** An upload with progress (fetch cannot report upload progress); resolves with the answer's JSON. */
export function upload<T>(path: string, body: Blob | FormData, onProgress: (fraction: number) => void, contentType?: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    if (session) request.setRequestHeader('x-csrf-token', session.csrf_token);
    if (contentType) request.setRequestHeader('content-type', contentType);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    };
    request.onerror = () => {
      reject(new ApiError('the upload was interrupted', 0, 'NETWORK'));
    };
    request.onload = () => {
      const response = new Response(request.responseText, { status: request.status, statusText: request.statusText });
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve(JSON.parse(request.responseText) as T);
      } else {
        if (request.status === 401) onUnauthorized();
        void errorFrom(response).then(reject);
      }
    };
    request.send(body);
  });
}

export const isAdmin = (): boolean => session?.role === 'admin';
