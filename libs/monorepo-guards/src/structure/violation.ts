/** One broken rule: where (a path relative to the repository root), which rule, and what to do. */
export interface Violation {
  path: string;
  rule: string;
  message: string;
}

export const formatViolation = (v: Violation) => `${v.path}: ${v.rule}: ${v.message}`;

export function sortViolations(violations: Violation[]): Violation[] {
  return [...violations].sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}
