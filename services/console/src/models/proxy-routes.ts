import type { ServiceName } from '@platform/core';
import type { Access, KeyKind } from './catalog.js';

type ProxyMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** One service route the browser may reach through the console, with who may call it. */
export interface ProxyRoute {
  service: ServiceName;
  method: ProxyMethod;
  /** The service's path (a Fastify pattern); the console serves it at /api/{prefix}{path}. */
  path: string;
  access: Access;
  key?: KeyKind;
  /** Answers that stream for a long time (server-sent events, large downloads, uploads). */
  long?: boolean;
}

const viewer = (service: ServiceName, method: ProxyMethod, path: string, extra: Partial<ProxyRoute> = {}): ProxyRoute => ({
  service,
  method,
  path,
  access: 'viewer',
  ...extra,
});
const admin = (service: ServiceName, method: ProxyMethod, path: string, extra: Partial<ProxyRoute> = {}): ProxyRoute => ({
  ...viewer(service, method, path, extra),
  access: 'admin',
});

/**
 * The allow-list: nothing else of a service is reachable through the console. Model management,
 * maintenance jobs and deletes are for admins.
 */
export const PROXY_ROUTES: readonly ProxyRoute[] = [
  viewer('data-bank-api', 'GET', '/v1/files'),
  viewer('data-bank-api', 'POST', '/v1/files', { long: true }),
  viewer('data-bank-api', 'GET', '/v1/files/:id', { long: true }),
  viewer('data-bank-api', 'GET', '/v1/files/:id/info'),
  admin('data-bank-api', 'DELETE', '/v1/files/:id'),

  viewer('qr-api', 'POST', '/v1/qr'),

  viewer('handwriting-ai', 'POST', '/v1/read', { key: 'read' }),
  viewer('handwriting-ai', 'GET', '/v1/models'),
  viewer('handwriting-ai', 'GET', '/v1/models/active'),
  admin('handwriting-ai', 'POST', '/v1/models/train'),

  viewer('model-trainer', 'GET', '/v1/runs'),
  admin('model-trainer', 'POST', '/v1/runs'),
  viewer('model-trainer', 'GET', '/v1/runs/:id'),
  admin('model-trainer', 'DELETE', '/v1/runs/:id'),
  viewer('model-trainer', 'GET', '/v1/runs/:id/metrics'),
  viewer('model-trainer', 'POST', '/v1/runs/:id/generate', { long: true }),

  viewer('turkic-api', 'GET', '/v1/languages'),
  viewer('turkic-api', 'POST', '/v1/transliterate'),
  viewer('turkic-api', 'POST', '/v1/detect'),
  viewer('turkic-api', 'POST', '/v1/corpus-jobs'),
  viewer('turkic-api', 'GET', '/v1/corpus-jobs/:job_id'),
  viewer('turkic-api', 'GET', '/v1/corpus-jobs/:job_id/result', { long: true }),
  // Whoever may start a corpus job may cancel one (the platform's job cancel; transcriptions alike).
  viewer('turkic-api', 'DELETE', '/v1/jobs/:job_id'),

  viewer('transcript-api', 'POST', '/v1/captions'),
  viewer('transcript-api', 'POST', '/v1/transcriptions', { long: true }),
  viewer('transcript-api', 'GET', '/v1/transcriptions/:job_id'),
  viewer('transcript-api', 'GET', '/v1/transcriptions/:job_id/result'),
  viewer('transcript-api', 'DELETE', '/v1/transcriptions/:job_id'),

  viewer('music-wrapped-api', 'POST', '/v1/imports', { long: true }),
  viewer('music-wrapped-api', 'POST', '/v1/wrapped'),
  viewer('music-wrapped-api', 'GET', '/v1/wrapped/:job_id'),
  viewer('music-wrapped-api', 'GET', '/v1/wrapped/:job_id/result'),
  viewer('music-wrapped-api', 'GET', '/v1/wrapped/:job_id/card.png'),
  viewer('music-wrapped-api', 'GET', '/v1/wrapped/:job_id/report.html'),
];
