import type { Queue } from 'bullmq';

export const QUEUE = 'data_bank';
export const DOMAIN = 'data_bank';

/** The system user that scheduled maintenance runs for. */
export const SYSTEM_USER = '0';

const DAY = 24 * 60 * 60;

export interface MaintenanceSchedule {
  /** 0 turns the schedule off. */
  gcEverySeconds: number;
  verifyEverySeconds: number;
}

/**
 * Registers (or updates, or removes) the repeating maintenance runs with BullMQ's job schedulers, so
 * any number of worker processes share one schedule.
 */
export async function scheduleMaintenance(queue: Queue, schedule: MaintenanceSchedule): Promise<void> {
  const retention = {
    removeOnComplete: { age: 7 * DAY, count: 1000 },
    removeOnFail: { age: 30 * DAY, count: 1000 },
  };
  const plans = [
    { name: 'gc', every: schedule.gcEverySeconds },
    { name: 'verify', every: schedule.verifyEverySeconds },
  ];
  for (const { name, every } of plans) {
    const id = `data_bank:${name}`;
    if (every > 0) {
      await queue.upsertJobScheduler(
        id,
        { every: every * 1000 },
        { name, data: { user_id: SYSTEM_USER }, opts: retention },
      );
    } else {
      await queue.removeJobScheduler(id);
    }
  }
}
