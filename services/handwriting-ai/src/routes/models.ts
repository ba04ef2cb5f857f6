import { AppError, type PlatformApp } from '@platform/core';
import type { ModelRegistry, RegisteredModel } from '@platform/ml';
import { z } from 'zod';
import type { DigitServer } from '../services/digit-server.js';

export const ModelView = z.object({
  id: z.string(),
  architecture: z.string().nullable(),
  temperature: z.number().nullable(),
  /** The registry's active model (the one every process serves). */
  active: z.boolean(),
  file_id: z.string(),
  registered_at: z.string(),
  created_at: z.string(),
  metrics: z.record(z.string(), z.number()),
});
const IdParams = z.object({ id: z.string().max(200) });

const ExtraView = z.object({ architecture: z.string().optional().catch(undefined), temperature: z.number().optional().catch(undefined) });

export const modelView = (model: RegisteredModel) => {
  const extra = ExtraView.parse(model.manifest.extra);
  return {
    id: model.id,
    architecture: extra.architecture ?? null,
    temperature: extra.temperature ?? null,
    active: model.active,
    file_id: model.file_id,
    registered_at: model.registered_at,
    created_at: model.manifest.created_at,
    metrics: model.manifest.metrics,
  };
};

export function modelRoutes(app: PlatformApp, registry: ModelRegistry, server: DigitServer): void {
  const registered = async (id: string) => {
    const model = await registry.get(id);
    if (!model) throw new AppError('NOT_FOUND', `No model ${id}`);
    return model;
  };
  app.get(
    '/v1/models',
    {
      config: { auth: 'models' },
      schema: { summary: 'Every registered digits model, newest first', response: { 200: z.object({ models: z.array(ModelView) }) } },
    },
    async () => ({ models: (await registry.list()).map(modelView) }),
  );
  app.get(
    '/v1/models/active',
    { config: { auth: 'read' }, schema: { summary: 'The model this process serves', response: { 200: ModelView } } },
    async () => {
      const served = server.active;
      if (!served) throw new AppError('SERVICE_UNAVAILABLE', 'No model is loaded');
      return modelView(await registered(served.id));
    },
  );
  app.post(
    '/v1/models/:id/activate',
    {
      config: { auth: 'models' },
      schema: {
        summary: 'Serve this model from now on, in every process (hot swap, no restart)',
        params: IdParams,
        response: { 200: ModelView },
      },
    },
    async (request) => {
      // Loaded here first: a model that does not load is a 400 and never becomes the registry's active one.
      await server.load(await registered(request.params.id));
      return modelView(await registry.activate(request.params.id));
    },
  );
  app.delete(
    '/v1/models/:id',
    { config: { auth: 'models' }, schema: { summary: 'Forget a model that is not the active one', params: IdParams } },
    async (request, reply) => {
      await registry.remove(request.params.id);
      return reply.status(204).send();
    },
  );
}
