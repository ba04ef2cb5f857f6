#!/usr/bin/env node
import path from 'node:path';
import { parseArgs } from 'node:util';
import { checkStructure } from './structure/check.js';
import { formatViolation } from './structure/violation.js';

/** `platform-guard [--root <dir>]`: prints one line per violation and exits 1, or a summary and exits 0. */
function main(): number {
  const { values } = parseArgs({ options: { root: { type: 'string', default: '.' } } });
  const root = path.resolve(values.root);
  const { packages, violations } = checkStructure(root);
  for (const violation of violations) process.stdout.write(`${formatViolation(violation)}\n`);
  if (violations.length > 0) {
    process.stderr.write(`guard: ${violations.length} violation(s) in ${packages} packages\n`);
    return 1;
  }
  process.stdout.write(`guard: ${packages} packages checked, no violations\n`);
  return 0;
}

process.exitCode = main();
