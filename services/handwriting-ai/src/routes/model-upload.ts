import multipart from '@fastify/multipart';
import { AppError, saveMultipartFile, type PlatformApp } from '@platform/core';
import { ARTIFACT_CONTENT_TYPE, type ModelRegistry } from '@platform/ml';
import type { FastifyRequest } from 'fastify';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFiles } from '../services/model-files.js';
import { registerUploadedArtifact } from '../services/model-upload.js';
import { ModelView, modelView } from './models.js';

export interface ModelUploadOptions {
  files: ModelFiles;
  registry: ModelRegistry;
  maxArtifactBytes: number;
}

const RAW_TYPES = [ARTIFACT_CONTENT_TYPE, 'application/octet-stream'];

/** Saves the uploaded artifact (raw body or multipart) under `work` and answers its path. */
async function savedArtifact(request: FastifyRequest, work: string, maxBytes: number): Promise<string> {
  if (!Buffer.isBuffer(request.body)) return (await saveMultipartFile(request, { field: 'artifact', maxBytes, dir: work })).path;
  if (request.body.length === 0) throw new AppError('INVALID_INPUT', 'The artifact body is empty');
  const path = join(work, 'model.tar.xz');
  await writeFile(path, request.body);
  return path;
}

export async function modelUploadRoutes(app: PlatformApp, options: ModelUploadOptions): Promise<void> {
  await app.register(multipart);
  app.addContentTypeParser(RAW_TYPES, { parseAs: 'buffer', bodyLimit: options.maxArtifactBytes }, (_request, body, done) => {
    done(null, body);
  });
  app.post(
    '/v1/models',
    {
      config: { auth: 'models' },
      schema: {
        summary: 'Upload a packed .tar.xz artifact (raw application/x-xz body, or multipart field "artifact"); registered inactive',
        consumes: [...RAW_TYPES, 'multipart/form-data'],
        response: { 201: ModelView },
      },
    },
    async (request, reply) => {
      const stage = (work: string) => savedArtifact(request, work, options.maxArtifactBytes);
      const model = await registerUploadedArtifact(stage, options.files, options.registry);
      return reply.status(201).send(modelView(model));
    },
  );
}
