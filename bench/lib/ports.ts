// The benchmarks' free port is the tests' one (one implementation, in @platform/testing).
export { freePort } from '@platform/testing';
