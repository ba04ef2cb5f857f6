import { AppError, type PlatformApp } from '@platform/core';
import { z } from 'zod';
import type { ModelSlot } from '../services/model-slot.js';
import type { ModelStore, StoredModel } from '../services/model-store.js';

const ModelView = z.object({
  id: z.string(),
  architecture: z.string(),
  temperature: z.number(),
  shipped: z.boolean(),
  active: z.boolean(),
  metrics: z.record(z.string(), z.unknown()),
});
const IdParams = z.object({ id: z.string().max(100) });

const view = (model: StoredModel, active: StoredModel | undefined) => ({
  id: model.id,
  architecture: model.architecture,
  temperature: model.temperature,
  shipped: model.shipped,
  active: model.id === active?.id,
  metrics: model.metrics,
});

export function modelRoutes(app: PlatformApp, store: ModelStore, slot: ModelSlot): void {
  app.get(
    '/v1/models',
    { config: { auth: 'models' }, schema: { summary: 'Every model the service can serve', response: { 200: z.object({ models: z.array(ModelView) }) } } },
    async () => ({ models: (await store.list()).map((model) => view(model, slot.active)) }),
  );
  app.get(
    '/v1/models/active',
    { config: { auth: 'read' }, schema: { summary: 'The model being served', response: { 200: ModelView } } },
    () => {
      const active = slot.active;
      if (!active) throw new AppError('SERVICE_UNAVAILABLE', 'No model is loaded');
      return view(active, active);
    },
  );
  app.post(
    '/v1/models/:id/activate',
    {
      config: { auth: 'models' },
      schema: { summary: 'Serve this model from now on (hot swap, no restart)', params: IdParams, response: { 200: ModelView } },
    },
    async (request) => {
      const model = await store.get((request.params).id);
      await slot.activate(model);
      return view(model, model);
    },
  );
  app.delete(
    '/v1/models/:id',
    { config: { auth: 'models' }, schema: { summary: 'Delete a model that is not being served', params: IdParams } },
    async (request, reply) => {
      const { id } = request.params;
      if (slot.active?.id === id) throw new AppError('CONFLICT', `${id} is being served; activate another model first`);
      await store.remove(id);
      return reply.status(204).send();
    },
  );
}
