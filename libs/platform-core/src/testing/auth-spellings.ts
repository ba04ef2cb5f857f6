import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { PUBLIC, routeAuthTable, type RouteAuth } from '../http/auth.js';
import { assertDenied, assertUnauthorized } from './assertions.js';
import { percentEncode, validValue } from './generators.js';
import { listeningUrl, rawClient, send } from './http.js';
import { fillPath, openApiPath, operationsOf, type OpenApiDocument, type Operation } from './openapi.js';
import { pathSpellings } from './spellings.js';

export interface AuthSpellingsOptions {
  /** Sent as X-API-Key where a wrong key is tried (default: a key no service has). */
  wrongKey?: string;
  /** Headers added to every request (besides X-User-Id: 1 on routes declared with `user: true`). */
  headers?: Readonly<Record<string, string>>;
}

const MAX_REPORTED = 20;

/** The route's URL with each parameter filled with a value of its schema (or `1`), encoded. */
function samplePath(route: RouteAuth, operations: readonly Operation[]): string {
  const path = openApiPath(route.url).replace(/\*$/, '{*}');
  const operation = operations.find((candidate) => candidate.path === path);
  return fillPath(path, (name) => {
    const schema = operation?.pathParams.find((parameter) => parameter.name === name)?.schema;
    const [value] = schema ? fc.sample(validValue(schema), { numRuns: 1, seed: 1 }) : ['1'];
    const text = String(value);
    return text === '' ? '1' : percentEncode(text);
  });
}

/**
 * For every route of `routeAuthTable(app)` that is not public, sends its canonical path without a
 * key (must be 401) and with a wrong key, then every other spelling of it (encoded, double-encoded,
 * mixed case, dot segments, extra or encoded slashes, see pathSpellings) without a key and with a
 * wrong key: none may be answered 2xx or 3xx. Throws listing every spelling that got through.
 */
export async function authSpellings(app: FastifyInstance, options: AuthSpellingsOptions = {}): Promise<void> {
  const baseUrl = await listeningUrl(app);
  const routes = routeAuthTable(app).filter((route) => route.auth !== PUBLIC);
  if (routes.length === 0) throw new Error('authSpellings: the app has no protected route to try');
  const operations = operationsOf(app.swagger() as OpenApiDocument);
  const wrongKey = { 'x-api-key': options.wrongKey ?? 'not-a-key-of-this-service' };
  const failures: string[] = [];
  const client = rawClient(baseUrl);

  async function probe(method: string, path: string, headers: Record<string, string>, check: typeof assertDenied) {
    try {
      check(await send(client, { method, path, headers }));
    } catch (error) {
      const keyNote = 'x-api-key' in headers ? 'with a wrong key' : 'without a key';
      failures.push(`${method} ${path} ${keyNote}: ${(error as Error).message}`);
    }
  }

  try {
    for (const route of routes) {
      const path = samplePath(route, operations);
      const headers = { ...options.headers, ...(route.user ? { 'x-user-id': '1' } : {}) };
      await probe(route.method, path, headers, assertUnauthorized);
      await probe(route.method, path, { ...headers, ...wrongKey }, assertDenied);
      for (const spelling of pathSpellings(path)) {
        await probe(route.method, spelling, headers, assertDenied);
        await probe(route.method, spelling, { ...headers, ...wrongKey }, assertDenied);
      }
    }
  } finally {
    await client.close();
  }
  if (failures.length > 0) {
    const more = failures.length > MAX_REPORTED ? `\n…and ${failures.length - MAX_REPORTED} more` : '';
    throw new Error(
      `authSpellings: ${failures.length} request(s) got past the auth check:\n${failures.slice(0, MAX_REPORTED).join('\n')}${more}`,
    );
  }
}
