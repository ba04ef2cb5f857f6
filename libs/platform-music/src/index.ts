export * from './analytics/dedupe.js';
export * from './analytics/report.js';
export * from './analytics/wrapped.js';
export * from './analytics/zone.js';
export * from './errors.js';
export * from './importers/index.js';
export * from './importers/json-array.js';
export * from './model.js';
