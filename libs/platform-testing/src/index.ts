export { freePort, isPortFree } from './ports.js';
export { readBody, sendJson, startFakeHttpServer, type FakeHttpHandler, type FakeHttpServer } from './http.js';
export { isolatedRedisPrefix, deleteKeys, uniqueName, type IsolatedRedisPrefix } from './redis.js';
export { waitFor, waitForHealthy } from './wait.js';
export { spawnSource, startServiceProcess, type ServiceProcess, type SourceProcess, type SourceProcessOptions } from './process.js';
