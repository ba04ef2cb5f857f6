/** The queue both trainer jobs run on, and their events domain (`trainer.job.*.v1`, `trainer.metrics.*.v1`). */
export const TRAINER_QUEUE = 'trainer';
export const TRAINER_DOMAIN = 'trainer';
