export * from './delivery.js';
export * from './embeds.js';
export * from './job-store.js';
export * from './job-view.js';
export * from './rate-limit.js';
export * from './registry.js';
export * from './signature.js';
