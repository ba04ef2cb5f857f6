import { AppError, type PlatformApp } from '@platform/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SESSION_COOKIE } from '../services/access.js';
import type { Session, SessionStore } from '../services/sessions.js';

const LoginBody = z.object({ key: z.string().min(1, 'enter an admin key').max(512) });
const SessionView = z.object({
  role: z.enum(['admin', 'viewer']),
  csrf_token: z.string(),
  user_id: z.string(),
  expires_at: z.string(),
});

function cookieOptions(request: FastifyRequest, maxAge: number) {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', signed: true, maxAge } as const;
}

export function sessionRoutes(app: PlatformApp, store: SessionStore, userId: string): void {
  const view = (session: Session) => ({
    role: session.role,
    csrf_token: session.csrf_token,
    user_id: userId,
    expires_at: session.expires_at,
  });

  app.post(
    '/api/login',
    {
      config: { access: 'public' },
      schema: { summary: 'Open a session with a console key', body: LoginBody, response: { 200: SessionView } },
    },
    async (request, reply) => {
      const role = store.roleOf(request.body.key);
      if (role === undefined) throw new AppError('UNAUTHORIZED', 'that key opens no console session');
      const { id, session } = await store.open(role);
      void reply.setCookie(SESSION_COOKIE, id, cookieOptions(request, store.ttlSeconds));
      return view(session);
    },
  );

  app.get(
    '/api/session',
    { config: { access: 'viewer' }, schema: { summary: 'The current session', response: { 200: SessionView } } },
    (request) => {
      if (!request.session) throw new AppError('UNAUTHORIZED', 'log in to the console first');
      return view(request.session);
    },
  );

  app.post(
    '/api/logout',
    { config: { access: 'viewer' }, schema: { summary: 'End the session' } },
    async (request: FastifyRequest, reply: FastifyReply) => {
      if (request.sessionId !== undefined) await store.close(request.sessionId);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    },
  );
}
