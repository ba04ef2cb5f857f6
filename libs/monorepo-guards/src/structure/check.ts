import { ExportIndex } from './config-variables.js';
import { checkDependencyCycles } from './cycles.js';
import { checkFileLengths, checkPackageBasics, checkService } from './package-checks.js';
import { sortViolations, type Violation } from './violation.js';
import { listPackages } from './workspace.js';

export interface StructureReport {
  packages: number;
  violations: Violation[];
}

/** Runs every structure rule on the repository at `root`. */
export function checkStructure(root: string): StructureReport {
  const packages = listPackages(root);
  const index = new ExportIndex(root, packages);
  const violations = [
    ...packages.flatMap((pkg) => checkPackageBasics(root, pkg)),
    ...packages.filter((pkg) => pkg.kind === 'services').flatMap((pkg) => checkService(root, pkg, index)),
    ...checkDependencyCycles(packages),
    ...checkFileLengths(root, ['scripts', ...packages.flatMap((pkg) => [`${pkg.dir}/src`, `${pkg.dir}/scripts`])]),
  ];
  return { packages: packages.length, violations: sortViolations(violations) };
}
