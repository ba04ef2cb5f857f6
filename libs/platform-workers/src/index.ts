export * from './events.js';
export * from './jobs.js';
export * from './process.js';
export * from './readiness.js';
export * from './redis.js';
export * from './routes.js';
export * from './status.js';
export * from './worker.js';
