import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { runWithContext } from '../context.js';
import { AppError, quoted } from '../errors.js';
import { registerAuth, type AuthOptions } from './auth.js';
import { answerClientError, frameworkError, sendError } from './error-handler.js';
import { trackRouteMethods } from './method-router.js';
import { registerHttpMetrics } from './metrics.js';
import { runReadinessChecks, type ReadinessCheck } from './readiness.js';
import { requestIdFrom } from './request-id.js';

export type PlatformApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface CreateAppOptions {
  service: string;
  version: string;
  logger: Logger;
  description?: string;
  /** Largest request body in bytes (default 1 MiB); streaming routes set their own limits. */
  bodyLimit?: number;
  readiness?: ReadinessCheck[];
  readinessTimeoutMs?: number;
  /** Origins allowed by CORS; CORS stays off when empty or absent. */
  corsOrigins?: string[];
  /** Trust X-Forwarded-* from a gateway in front of the service. */
  trustProxy?: boolean;
  /** The service's permissions and their API keys; routes declare which one they need (see auth.ts). */
  auth?: AuthOptions;
  /** Longest time a client may take to send a whole request (default 60 s); upload services raise it. */
  requestTimeoutMs?: number;
}

/**
 * A Fastify app with the platform's HTTP contract: zod schemas, request ids, one error envelope,
 * /healthz, /readyz, /metrics, /openapi.json and /docs. Register routes on it after it resolves.
 */
export async function createApp(options: CreateAppOptions): Promise<PlatformApp> {
  // Typed as Fastify's base logger so the instance keeps Fastify's default logger type parameter.
  const loggerInstance: FastifyBaseLogger = options.logger;
  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const app = Fastify({
    loggerInstance,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    // Request logging is ours (one line per response, in onResponse below).
    logController: new LogController({ requestIdLogLabel: 'request_id', disableRequestLogging: true }),
    // request_id reaches every log line through the logger's context mixin; a binding would repeat it.
    childLoggerFactory: (logger, _bindings, options) => logger.child({}, options),
    genReqId: (request) => requestIdFrom(request.headers['x-request-id']),
    return503OnClosing: true,
    // Slow-loris: headers within 10 s, the whole request within requestTimeout, checked every second.
    requestTimeout,
    http: { headersTimeout: Math.min(10_000, requestTimeout), connectionsCheckingInterval: 1000 },
    // Errors Fastify raises before routing (a malformed URL, a path parameter too long) and the ones
    // Node's parser raises before Fastify sees a request (an unknown method, headers too large): the
    // same envelope as everything else.
    frameworkErrors: (error, request, reply) => {
      void sendError(frameworkError(error), request, reply);
    },
    clientErrorHandler: answerClientError,
  }).withTypeProvider<ZodTypeProvider>();

  registerAuth(app, options.auth ?? {}, options.logger);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const otherMethods = trackRouteMethods(app);

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    runWithContext({ request_id: request.id }, done);
  });
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
    done();
  });
  // Once closing, answers tell keep-alive clients to hang up, so close() need not wait for their idle sockets.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });
  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    const allowed = otherMethods(request.method, request.url);
    if (allowed.length === 0) {
      return sendError(new AppError('NOT_FOUND', `No route for ${request.method} ${quoted(request.url)}`), request, reply);
    }
    const error = new AppError('METHOD_NOT_ALLOWED', `Method ${request.method} is not allowed on ${quoted(request.url)}`, {
      headers: { allow: allowed.join(', ') },
    });
    return sendError(error, request, reply);
  });

  if (options.corsOrigins && options.corsOrigins.length > 0) {
    await app.register(cors, { origin: options.corsOrigins });
  }
  await app.register(swagger, {
    openapi: {
      info: { title: options.service, version: options.version, description: options.description ?? '' },
      components: { securitySchemes: { apiKey: { type: 'apiKey', name: 'X-API-Key', in: 'header' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const registry = registerHttpMetrics(app, options.service);
  const checks = options.readiness ?? [];
  const hide = { schema: { hide: true } };

  app.get('/healthz', hide, () => ({ status: 'ok' }));
  app.get('/readyz', hide, async (_request, reply) => {
    const report = await runReadinessChecks(checks, options.readinessTimeoutMs ?? 2000);
    if (report.ready) return { status: 'ready', checks: report.checks };
    return reply.status(503).send({ status: 'degraded', reason: report.reason, checks: report.checks });
  });
  app.get('/metrics', hide, async (_request, reply) => {
    return reply.type(registry.contentType).send(await registry.metrics());
  });
  app.get('/openapi.json', hide, () => app.swagger());
  return app;
}
