import type { PlatformApp } from '@platform/core';
import type { Overview } from '../services/overview.js';

export function overviewRoutes(app: PlatformApp, overview: Overview): void {
  app.get(
    '/api/overview',
    { config: { access: 'viewer' }, schema: { summary: "Every service's readiness, version and queue counts" } },
    async () => ({ services: await overview.read() }),
  );
}
