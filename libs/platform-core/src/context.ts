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

export function currentContext(): RequestContext {
  return storage.getStore() ?? {};
}
