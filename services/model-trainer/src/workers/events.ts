import { metricsEvent, type Logger } from '@platform/core';
import type { KernelEvent } from '@platform/ml';
import type { EventPublisher, JobContext } from '@platform/workers';
import { TRAINER_DOMAIN } from '../jobs/queue.js';
import type { RunMetrics } from '../models/run.js';
import type { RunStore } from '../services/run-store.js';

const fieldsOf = (event: KernelEvent) => Object.fromEntries(Object.entries(event).filter(([key]) => key !== 'event' && key !== 'kind'));
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * Kernel events of one run into its record (live metrics), its curve, its logs, job progress (0..90)
 * and `trainer.metrics.{config,step,eval,completed}.v1` events; step events at most every
 * `stepEventMs` (the kernel already writes them at most every 2 s). Writes run in order, one at a time.
 */
export function runEventRelay(
  deps: { store: RunStore; publisher: EventPublisher; logger: Logger; stepEventMs: number },
  runId: string,
  userId: string,
  context: JobContext,
) {
  let pending: Promise<unknown> = Promise.resolve();
  let lastStepEvent = 0;
  const after = (work: () => Promise<unknown>) => {
    pending = pending.then(work).catch((error: unknown) => {
      context.logger.warn({ err: error }, 'could not record training progress');
    });
  };
  const publish = (name: string, metrics: Record<string, unknown>) =>
    deps.publisher.publish(
      metricsEvent({ domain: TRAINER_DOMAIN, job_id: context.jobId, user_id: userId, name, metrics: { run_id: runId, ...metrics } }),
    );
  const updateMetrics = (changes: Partial<RunMetrics>) =>
    deps.store.update(runId, (record) => ({ metrics: { ...record.metrics, ...changes } }));

  const onEvent = (event: KernelEvent) => {
    if (event.event === 'log') after(() => deps.store.appendLog(runId, fieldsOf(event)));
    if (event.event === 'progress' && typeof event.fraction === 'number') {
      const pct = Math.floor(event.fraction * 90);
      after(async () => {
        await deps.store.update(runId, { progress: pct });
        await context.progress(pct, typeof event.step === 'number' ? `step ${String(event.step)}` : undefined);
      });
    }
    if (event.event !== 'metrics') return;
    const fields = fieldsOf(event);
    if (event.kind === 'config') after(() => publish('config', fields));
    if (event.kind === 'step') {
      after(async () => {
        await deps.store.appendCurve(runId, { kind: 'step', ...fields });
        await updateMetrics({ step: num(fields.step), train_loss: num(fields.train_loss), tokens_per_s: num(fields.tokens_per_s) });
        if (Date.now() - lastStepEvent >= deps.stepEventMs) {
          lastStepEvent = Date.now();
          await publish('step', fields);
        }
      });
    }
    if (event.kind === 'eval') {
      after(async () => {
        await deps.store.appendCurve(runId, { kind: 'eval', ...fields });
        await updateMetrics({ step: num(fields.step), val_loss: num(fields.val_loss), best_val_loss: num(fields.best_val_loss) });
        await publish('eval', fields);
      });
    }
    if (event.kind === 'completed') after(() => publish('completed', fields));
  };
  return { onEvent, settled: () => pending };
}
