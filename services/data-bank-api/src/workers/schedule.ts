import { scheduleJob } from '@platform/workers';
import type { Queue } from 'bullmq';
import { gcJob } from '../jobs/gc.js';
import { SYSTEM_USER } from '../jobs/queue.js';
import { verifyJob } from '../jobs/verify.js';

export interface MaintenanceSchedule {
  /** 0 turns the schedule off. */
  gcEverySeconds: number;
  verifyEverySeconds: number;
}

/**
 * Registers (or updates, or removes) the repeating maintenance runs with BullMQ's job schedulers, so
 * any number of worker processes share one schedule; each run gets its definition's options.
 */
export async function scheduleMaintenance(queue: Queue, schedule: MaintenanceSchedule): Promise<void> {
  const data = { user_id: SYSTEM_USER };
  await scheduleJob(queue, gcJob, { everyMs: schedule.gcEverySeconds * 1000, data });
  await scheduleJob(queue, verifyJob, { everyMs: schedule.verifyEverySeconds * 1000, data });
}
