import type { Violation } from './violation.js';
import type { WorkspacePackage } from './workspace.js';

/** One dependency cycle per strongly connected group of workspace packages, reported at its first member. */
export function checkDependencyCycles(packages: WorkspacePackage[]): Violation[] {
  const byName = new Map(packages.map((p) => [p.name, p]));
  const edges = (name: string) => (byName.get(name)?.dependsOn ?? []).filter((dep) => byName.has(dep)).sort();
  const reported = new Set<string>();
  const violations: Violation[] = [];

  // A breadth-first search from each package finds the shortest cycle back to it, if there is one.
  for (const start of [...byName.keys()].sort()) {
    if (reported.has(start)) continue;
    const previous = new Map<string, string>();
    const queue = [start];
    let closing: string | undefined;
    while (queue.length > 0 && closing === undefined) {
      const current = queue.shift() as string;
      for (const next of edges(current)) {
        if (next === start) {
          closing = current;
          break;
        }
        if (!previous.has(next)) {
          previous.set(next, current);
          queue.push(next);
        }
      }
    }
    if (closing === undefined) continue;
    const chain = [start];
    for (let node: string | undefined = closing; node !== undefined && node !== start; node = previous.get(node)) chain.splice(1, 0, node);
    chain.forEach((name) => reported.add(name));
    const pkg = byName.get(start) as WorkspacePackage;
    violations.push({
      path: `${pkg.dir}/package.json`,
      rule: 'dependency-cycle',
      message: `${[...chain, start].join(' -> ')}: workspace packages must form a tree; move the shared part into a library both can depend on`,
    });
  }
  return violations;
}
