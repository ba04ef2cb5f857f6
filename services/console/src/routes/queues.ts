import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { isAppError, type PlatformApp } from '@platform/core';
import type { Queue } from 'bullmq';

const QUEUES_PATH = '/queues';

/** bull-board on every domain's queue, for admin sessions only (its routes declare nothing, so they default to admin). */
export async function queueBoardRoutes(app: PlatformApp, queues: ReadonlyMap<string, Queue>): Promise<void> {
  const adapter = new FastifyAdapter();
  createBullBoard({
    queues: [...queues.values()].map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Platform queues' } },
  });
  adapter.setBasePath(QUEUES_PATH);
  // bull-board's own handler would answer any error's internal message.
  adapter.setErrorHandler((error) => {
    if (isAppError(error)) return { status: error.status as 500, body: { code: error.code, message: error.message } };
    return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'the queue board failed' } };
  });
  await app.register(
    (scope, _options, done) => {
      // Its UI sends no CSRF token: these routes are checked by origin (plus the SameSite=Strict cookie).
      scope.addHook('onRoute', (route) => {
        route.config = { ...route.config, access: 'admin', csrf: 'origin' };
      });
      void scope.register(adapter.registerPlugin());
      done();
    },
    { prefix: QUEUES_PATH },
  );
}
