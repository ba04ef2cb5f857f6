import fastifyStatic from '@fastify/static';
import type { PlatformApp } from '@platform/core';
import { existsSync } from 'node:fs';

/** The console's own pages: scripts and styles from its origin only, never framed. */
const PAGE_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The built web app (public: it holds no data; everything it shows comes from /api behind the session). */
export async function staticRoutes(app: PlatformApp, webDir: string): Promise<void> {
  if (!existsSync(webDir)) {
    app.log.warn({ webDir }, 'no built web app (npm run build -w console): only the API is served');
    return;
  }
  await app.register((scope, _options, done) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...route.config, access: 'public' };
    });
    scope.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('content-security-policy', PAGE_POLICY);
      next(null, payload);
    });
    void scope.register(fastifyStatic, {
      root: webDir,
      prefix: '/',
      // One route per built file (read at start): an unknown path is a plain 404, not a wildcard miss.
      wildcard: false,
      // Hashed asset names never change; index.html is always revalidated.
      setHeaders: (response, path) => {
        response.setHeader('cache-control', path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable');
      },
    });
    done();
  });
}
