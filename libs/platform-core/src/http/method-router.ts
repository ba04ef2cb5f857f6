import Router from 'find-my-way';
import type { FastifyInstance } from 'fastify';

/**
 * A shadow router of every registered route, so an unmatched request can be told apart:
 * a path that exists with other methods is a 405 with Allow, anything else a 404.
 */
export function trackRouteMethods(app: FastifyInstance): (method: string, url: string) => string[] {
  const router = Router();
  const methods = new Set<string>();
  const noop = () => undefined;
  app.addHook('onRoute', (route) => {
    const routeMethods = (Array.isArray(route.method) ? route.method : [route.method]) as Router.HTTPMethod[];
    for (const method of routeMethods) {
      if (router.hasRoute(method, route.url)) continue;
      router.on(method, route.url, noop);
      methods.add(method);
    }
  });
  return (requestMethod, url) => {
    const path = url.split('?')[0] ?? url;
    return [...methods].filter((method) => method !== requestMethod && router.find(method as Router.HTTPMethod, path) !== null);
  };
}
