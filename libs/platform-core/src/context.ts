import { AsyncLocalStorage } from 'node:async_hooks';

/** Ids carried implicitly through a request or a job, picked up by the logger and the HTTP client. */
export interface RequestContext {
  request_id?: string;
  job_id?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...context }, fn);
}

/** Binds the context to the rest of the current async execution (used from hooks that cannot wrap). */
export function enterContext(context: RequestContext): void {
  storage.enterWith({ ...storage.getStore(), ...context });
}

export function currentContext(): RequestContext {
  return storage.getStore() ?? {};
}
