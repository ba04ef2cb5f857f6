export { assertDenied, assertHealthy, assertPlatformResponse, assertUnauthorized, ContractViolation } from './assertions.js';
export { authSpellings, type AuthSpellingsOptions } from './auth-spellings.js';
export { fuzzService, type FuzzOptions } from './fuzz.js';
export { fuzzRequest, fuzzValue, percentEncode, validValue, type FuzzRequest } from './generators.js';
export type { ObservedResponse } from './http.js';
export { pathSpellings } from './spellings.js';
