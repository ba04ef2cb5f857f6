import { HttpClient, type PlatformApp, type ServiceName } from '@platform/core';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { CATALOG, serviceKey } from '../models/catalog.js';
import { PROXY_ROUTES } from '../models/proxy-routes.js';
import { forward } from '../services/upstream.js';

const SHORT_MS = 30_000;
const LONG_MS = 60 * 60_000;

/** Fills a route pattern with the request's (already URL-encoded by the router) parameters. */
function servicePath(pattern: string, request: FastifyRequest): string {
  const params = request.params as Record<string, string>;
  return pattern.replace(/:([a-z_]+)/g, (_match, name: string) => encodeURIComponent(params[name] ?? ''));
}

/**
 * `/api/{prefix}{path}` for every allow-listed service route: the body and the answer stream through
 * untouched, and the service key is added here, so the browser never sees it.
 */
export async function proxyRoutes(app: PlatformApp, config: Config): Promise<void> {
  const clients = new Map<ServiceName, HttpClient>(
    CATALOG.map((entry) => [entry.name, new HttpClient({ baseUrl: config.upstreams[entry.name] })]),
  );
  const prefixes = new Map(CATALOG.map((entry) => [entry.name, entry.prefix]));
  await app.register((scope, _options, done) => {
    // Bodies are the service's business: nothing is parsed or buffered here.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, parsed) => {
      parsed(null);
    });
    for (const route of PROXY_ROUTES) {
      scope.route({
        method: route.method,
        url: `/api/${prefixes.get(route.service) ?? route.service}${route.path}`,
        config: { access: route.access },
        schema: { hide: true },
        handler: (request, reply) =>
          forward(clients, request, reply, {
            service: route.service,
            path: servicePath(route.path, request),
            apiKey: serviceKey(config, route.service, route.key ?? 'api'),
            userId: config.userId,
            timeoutMs: route.long ? LONG_MS : SHORT_MS,
          }),
      });
    }
    done();
  });
}
