import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { UserId } from '../events.js';
import { ApiKeySet, presentedApiKey } from './api-keys.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs: one of the app's permissions, or 'public'. Required under `/v1`. */
    auth?: string;
    /** The route acts for the user the trusted caller names in X-User-Id (a decimal string). */
    user?: boolean;
  }
  interface FastifyRequest {
    /** The X-User-Id of a route declared with `user: true`; undefined on other routes. */
    userId: string | undefined;
  }
}

export const PUBLIC = 'public';

export interface AuthOptions {
  /** Each permission of the service and the API keys that grant it. */
  permissions?: Record<string, readonly string[]>;
  /**
   * A permission with no keys is open (local development only; logged at start). Otherwise, the
   * default, it refuses every request: an unconfigured permission fails closed.
   */
  openWhenNoKeys?: boolean;
}

export interface RouteAuth {
  method: string;
  url: string;
  auth: string;
  user: boolean;
}

/** Routes under this prefix must declare `config.auth`; the app refuses to start otherwise. */
const PROTECTED_PREFIX = '/v1';

const tables = new WeakMap<FastifyInstance, RouteAuth[]>();

/** Every route of the app with what it declared, for tests that try each protected route. */
export function routeAuthTable(app: FastifyInstance): readonly RouteAuth[] {
  return tables.get(app) ?? [];
}

/** The user of a route declared with `user: true`. */
export function requestUser(request: FastifyRequest): string {
  if (request.userId === undefined) throw new Error(`${request.routeOptions.url ?? request.url} does not declare user: true`);
  return request.userId;
}

function isProtected(url: string): boolean {
  return url === PROTECTED_PREFIX || url.startsWith(`${PROTECTED_PREFIX}/`);
}

function declaredAuth(route: RouteOptions, permissions: ReadonlySet<string>): string {
  const auth = route.config?.auth;
  const where = `${String(route.method)} ${route.url}`;
  if (auth === undefined) {
    if (isProtected(route.url)) throw new Error(`${where} declares no config.auth: every ${PROTECTED_PREFIX} route must`);
    return PUBLIC;
  }
  if (auth !== PUBLIC && !permissions.has(auth)) throw new Error(`${where} needs the unknown permission "${auth}"`);
  return auth;
}

/**
 * Route-based API-key auth: each route declares what it needs (`config: { auth, user }`) and the check
 * is decided from the matched route in onRequest, before any body is read, never from the raw URL (so
 * no spelling of a path can reach a route without its check).
 */
export function registerAuth(app: FastifyInstance, options: AuthOptions, logger: Logger): void {
  const permissions = new Map(Object.entries(options.permissions ?? {}).map(([name, keys]) => [name, new ApiKeySet(keys)]));
  const names = new Set(permissions.keys());
  const open = options.openWhenNoKeys ?? false;
  for (const [name, keys] of permissions) {
    if (!keys.isEmpty) continue;
    if (open) logger.warn(`no API keys for "${name}": routes needing it are open (development only)`);
    else logger.warn(`no API keys for "${name}": routes needing it refuse every request`);
  }

  const table: RouteAuth[] = [];
  tables.set(app, table);
  app.decorateRequest('userId', undefined);
  app.addHook('onRoute', (route) => {
    const auth = declaredAuth(route, names);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) table.push({ method, url: route.url, auth, user: route.config?.user === true });
  });

  const deny = (code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string) => new AppError(code, message);

  function checkKey(permission: string, header: string | string[] | undefined): void {
    const allowed = permissions.get(permission);
    if (!allowed) throw deny('UNAUTHORIZED', 'this route is not available');
    if (allowed.isEmpty && open) return;
    const key = presentedApiKey(header);
    if (key === undefined) throw deny('UNAUTHORIZED', 'an X-API-Key header is required');
    if (allowed.matches(key)) return;
    const grantsOther = [...permissions.values()].some((set) => set.matches(key));
    if (grantsOther) throw deny('FORBIDDEN', `the API key lacks the ${permission} permission`);
    throw deny('UNAUTHORIZED', 'the X-API-Key is not valid');
  }

  app.addHook('onRequest', (request, _reply, done) => {
    try {
      const { config, url } = request.routeOptions;
      // No route matched (the 404/405 handler): nothing to protect.
      if (url === undefined) {
        done();
        return;
      }
      const auth = config.auth ?? (isProtected(url) ? undefined : PUBLIC);
      if (auth === undefined) throw deny('UNAUTHORIZED', 'this route is not available');
      if (auth !== PUBLIC) checkKey(auth, request.headers['x-api-key']);
      if (config.user === true) {
        const user = UserId.safeParse(request.headers['x-user-id']);
        if (!user.success) throw deny('UNAUTHORIZED', 'X-User-Id must name the user as a decimal string');
        request.userId = user.data;
      }
      done();
    } catch (error) {
      done(error as AppError);
    }
  });
}
