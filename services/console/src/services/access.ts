import { AppError, sendError } from '@platform/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Access } from '../models/catalog.js';
import type { Session, SessionStore } from './sessions.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (the console's own access rule; absent means admin). */
    access?: Access;
    /** How a state-changing call proves it comes from the console's pages: the session's token (default) or the origin only. */
    csrf?: 'token' | 'origin';
  }
  interface FastifyRequest {
    session: Session | undefined;
    sessionId: string | undefined;
  }
}

export const SESSION_COOKIE = 'console_session';
const CSRF_HEADER = 'x-csrf-token';

/** The platform's probes stay open; every other route that declares nothing needs an admin. */
const PUBLIC_PROBES = new Set(['/healthz', '/readyz', '/metrics']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const sameToken = (a: string, b: string) => {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
};

function accessOf(request: FastifyRequest): Access {
  const { config, url } = request.routeOptions;
  if (config.access !== undefined) return config.access;
  return url !== undefined && PUBLIC_PROBES.has(url) ? 'public' : 'admin';
}

/** A state-changing request must come from this origin: the browser says so in Origin or Sec-Fetch-Site. */
function checkOrigin(request: FastifyRequest): void {
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new AppError('FORBIDDEN', 'cross-site requests are refused');
  }
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    throw new AppError('FORBIDDEN', `requests from ${origin} are refused`);
  }
  if (site === undefined && origin === undefined && request.routeOptions.config.csrf === 'origin') {
    throw new AppError('FORBIDDEN', 'the request does not say where it comes from');
  }
}

function wantsPage(request: FastifyRequest): boolean {
  return SAFE_METHODS.has(request.method) && (request.headers.accept ?? '').includes('text/html');
}

async function sessionOf(store: SessionStore, request: FastifyRequest): Promise<void> {
  const raw = request.cookies[SESSION_COOKIE];
  if (raw === undefined) return;
  const unsigned = request.unsignCookie(raw);
  if (!unsigned.valid) return;
  const session = await store.get(unsigned.value);
  if (session === undefined) return;
  request.session = session;
  request.sessionId = unsigned.value;
}

/**
 * Decides from the matched route, before any body is read: its access level (absent: admin, so a
 * route that forgets to declare fails closed), the session cookie, and for state-changing calls the
 * origin and the CSRF token.
 */
export function registerAccess(app: FastifyInstance, store: SessionStore): void {
  app.decorateRequest('session', undefined);
  app.decorateRequest('sessionId', undefined);
  // Answered here rather than thrown: a route in a plugin with its own error handler (bull-board) still
  // refuses with the platform's envelope.
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      await decide(store, request, reply);
    } catch (error) {
      return sendError(error, request, reply);
    }
    return undefined;
  });
}

async function decide(store: SessionStore, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.routeOptions.url === undefined) return; // 404/405: nothing to protect
  const access = accessOf(request);
  const changing = !SAFE_METHODS.has(request.method);
  if (changing) checkOrigin(request);
  if (access === 'public') return;
  await sessionOf(store, request);
  const session = request.session;
  if (session === undefined) {
    if (wantsPage(request)) {
      await reply.redirect(`/#/login?next=${encodeURIComponent(request.url)}`, 303);
      return;
    }
    throw new AppError('UNAUTHORIZED', 'log in to the console first');
  }
  if (access === 'admin' && session.role !== 'admin') throw new AppError('FORBIDDEN', 'this needs an admin session');
  if (changing && request.routeOptions.config.csrf !== 'origin') {
    const presented = request.headers[CSRF_HEADER];
    if (typeof presented !== 'string' || !sameToken(presented, session.csrf_token)) {
      throw new AppError('FORBIDDEN', 'the CSRF token is missing or wrong; reload the page');
    }
  }
}
