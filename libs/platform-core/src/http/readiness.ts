import { errorMessage } from '../errors.js';

/** A named readiness probe; it throws (or rejects) with the reason when not ready. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
  timeoutMs?: number;
}

export interface ReadinessReport {
  ready: boolean;
  reason?: string;
  checks: Record<string, string>;
}

async function withTimeout(check: ReadinessCheck, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([check.check(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs every check concurrently, each under its own timeout. */
export async function runReadinessChecks(checks: ReadinessCheck[], defaultTimeoutMs: number): Promise<ReadinessReport> {
  const outcomes = await Promise.all(
    checks.map(async (check) => {
      try {
        await withTimeout(check, check.timeoutMs ?? defaultTimeoutMs);
        return [check.name, undefined] as const;
      } catch (error) {
        return [check.name, errorMessage(error)] as const;
      }
    }),
  );
  const failures = outcomes.filter(([, failure]) => failure !== undefined);
  const report: ReadinessReport = {
    ready: failures.length === 0,
    checks: Object.fromEntries(outcomes.map(([name, failure]) => [name, failure === undefined ? 'ok' : `failed: ${failure}`])),
  };
  if (failures.length > 0) report.reason = failures.map(([name, failure]) => `${name}: ${failure ?? ''}`).join('; ');
  return report;
}
