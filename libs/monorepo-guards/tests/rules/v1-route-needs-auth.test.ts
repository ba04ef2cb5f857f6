import { v1RouteNeedsAuth } from '../../src/rules/v1-route-needs-auth.js';
import { run } from './tester.js';

run('v1-route-needs-auth', v1RouteNeedsAuth, {
  valid: [
    "app.get('/v1/qr', { config: { auth: 'public' } }, handler);",
    "app.post('/v1/files', { schema, config: { auth: 'upload' } }, async (request) => request.body);",
    "app.get('/v1/jobs/:id', { config: { auth: 'read' }, handler });",
    "app.get('/v1/x', options, handler);",
    "app.get('/v1/x', { ...readRoute, schema }, handler);",
    "app.get('/v1/x', { config: routeConfig }, handler);",
    "app.get('/healthz', handler);",
    "app.get('/v10', handler);",
    "app.route({ method: 'GET', url: '/v1/items', config: { auth: 'read' }, handler });",
    "app.route({ method: 'GET', url: '/metrics', handler });",
    "headers.get('content-type');",
    "this.get('/v1/me/top', schema, { limit: '50' });",
    "client.get('/v1/me', z.object({}), { limit: '50' });",
  ],
  invalid: [
    { code: "app.get('/v1/qr', handler);", errors: [{ messageId: 'missingOptions', data: { url: '/v1/qr', method: 'get' } }] },
    { code: "app.delete('/v1/jobs/:id', { schema }, handler);", errors: [{ messageId: 'missingAuth' }] },
    { code: "app.post('/v1/x', { config: { rateLimit: false } }, handler);", errors: [{ messageId: 'missingAuth' }] },
    { code: 'app.put(`/v1/items/${kind}`, makeOptions(), handler);', errors: [{ messageId: 'opaqueOptions' }] },
    { code: "app.route({ method: 'POST', url: '/v1/items', handler });", errors: [{ messageId: 'missingAuth' }] },
    { code: "app.patch('/v1', handler);", errors: [{ messageId: 'missingOptions' }] },
  ],
});
