import { loadConfigOrExit } from '@platform/core';
import { parseArgs } from 'node:util';
import { readStorageConfig } from './config.js';
import { verifyStore } from './services/integrity.js';
import { openBackend } from './storage/open.js';

// `npm run -w data-bank-api verify [-- --quarantine]`: re-hashes every stored file. One JSON line per
// corrupt entry, then a summary line; exit status 1 when anything was corrupt.
const { values } = parseArgs({ options: { quarantine: { type: 'boolean', default: false } } });
const config = loadConfigOrExit(() => readStorageConfig());
const backend = await openBackend(config);
const report = await verifyStore(backend, {
  quarantine: values.quarantine,
  onEntry: (_report, corrupt) => {
    if (corrupt) process.stdout.write(`${JSON.stringify({ ...corrupt, quarantined: values.quarantine })}\n`);
  },
});
const { checked, bytes, quarantined } = report;
process.stdout.write(`${JSON.stringify({ root: backend.location, checked, bytes, corrupt: report.corrupt.length, quarantined })}\n`);
process.exitCode = report.corrupt.length > 0 ? 1 : 0;
