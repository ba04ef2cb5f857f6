export { isPublicAddress } from './address.js';
export { fetchAllowList, guardedFetchEnv, parseAllowList, type AllowList } from './allow-list.js';
export { URL_NOT_FETCHABLE, URL_NOT_FETCHABLE_MESSAGE, UrlNotFetchableError, type FetchFailureReason } from './fetch-error.js';
export {
  createGuardedFetcher,
  type GuardedFetcher,
  type GuardedFetcherOptions,
  type GuardedFetchInit,
  type GuardedResponse,
} from './guarded-fetch.js';
export { systemLookup, type HostLookup } from './pinned-agent.js';
export { checkTarget } from './target.js';
