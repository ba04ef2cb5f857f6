import { runChild } from '@platform/core';
import { KernelUnavailableError } from '../errors.js';

export const DEFAULT_PYTHON_CANDIDATES = ['python3', '/usr/bin/python3'];
const INSTALL_HINT =
  "install Debian's python3-torch and libopenblas0-openmp (apt-get install python3-torch libopenblas0-openmp; " +
  'torch then runs under /usr/bin/python3), or set PLATFORM_PYTHON to an interpreter that can import torch';

const found = new Map<string, Promise<boolean>>();

/** Whether `python` starts and imports torch (a success is remembered for the process). */
function importsTorch(python: string): Promise<boolean> {
  let check = found.get(python);
  if (!check) {
    check = runChild(python, ['-c', 'import torch'], { timeoutMs: 120_000, maxOutputBytes: 64 * 1024 }).then(
      (result) => result.code === 0,
      () => false,
    );
    found.set(python, check);
    // Only a success is remembered: a failed check (a slow disk, a fixed install) is tried again next time.
    void check.then((ok) => ok || found.delete(python));
  }
  return check;
}

/**
 * The Python interpreter for PyTorch kernels: `explicit` (PLATFORM_PYTHON, passed in by the service's
 * config) when set, else the first of `candidates` that imports torch. Throws KernelUnavailableError
 * saying what to install or fix.
 */
export async function findPython(explicit?: string, candidates: readonly string[] = DEFAULT_PYTHON_CANDIDATES): Promise<string> {
  if (explicit !== undefined && explicit !== '') {
    if (await importsTorch(explicit)) return explicit;
    throw new KernelUnavailableError(`PLATFORM_PYTHON=${explicit} cannot be started or cannot import torch: ${INSTALL_HINT}`);
  }
  for (const python of candidates) {
    if (await importsTorch(python)) return python;
  }
  throw new KernelUnavailableError(`none of ${candidates.join(', ')} can import torch: ${INSTALL_HINT}`);
}
