import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { assertHealthy, assertPlatformResponse } from './assertions.js';
import { fuzzRequest, type FuzzRequest } from './generators.js';
import { listeningUrl, rawClient, send } from './http.js';
import { operationsOf, type OpenApiDocument, type Operation } from './openapi.js';

export interface FuzzOptions {
  /** Random requests per route (default 100). */
  runs?: number;
  /** Headers that make a request valid (API key, X-User-Id); added to about half of the requests. */
  keys?: Readonly<Record<string, string>>;
  /** 5xx statuses a route may answer here (e.g. 503 while a dependency is down on purpose); never 500. */
  allowStatuses?: readonly number[];
  /** Replays a failed run; else FUZZ_SEED from the environment, else random. */
  seed?: number;
}

/** Always fuzzed, so an app with no documented route still meets the route-independent cases. */
const HEALTH: Operation = { method: 'GET', path: '/healthz', pathParams: [], queryParams: [] };

function chosenSeed(options: FuzzOptions): number {
  if (options.seed !== undefined) return options.seed;
  const fromEnvironment = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnvironment) && process.env.FUZZ_SEED !== '' ? fromEnvironment : Date.now() % 2 ** 31;
}

function describeRequest(request: FuzzRequest): string {
  const cut = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text);
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${cut(value)}`);
  const body = request.body ? `${request.body.length} bytes: ${cut(Buffer.from(request.body).toString('latin1'))}` : 'none';
  return [`${request.method} ${cut(request.path)}`, ...headers, `body ${body}`].join('\n  ');
}

/**
 * Sends random requests (bodies, content types, multipart, query strings, path parameters, headers,
 * methods, oversized heads, long paths) over real HTTP to every route of the app's OpenAPI document,
 * and asserts each answer keeps the platform's HTTP contract, then that /healthz still answers within
 * 1 s. Listens on port 0 if the app is not listening yet (the caller closes the app). Throws with the
 * seed and the first failing request.
 */
export async function fuzzService(app: FastifyInstance, options: FuzzOptions = {}): Promise<void> {
  const baseUrl = await listeningUrl(app);
  const operations = [...operationsOf(app.swagger() as OpenApiDocument), HEALTH];
  const allowed = new Set(options.allowStatuses ?? []);
  const seed = chosenSeed(options);
  const client = rawClient(baseUrl);
  try {
    for (const operation of operations) {
      const property = fc.asyncProperty(fuzzRequest(operation, options.keys ?? {}), async (request) => {
        assertPlatformResponse(await send(client, request), allowed);
      });
      const run = await fc.check(property, { numRuns: options.runs ?? 100, seed, endOnFailure: true });
      if (!run.failed) continue;
      const [request] = run.counterexample ?? [];
      const reason = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
      throw new Error(
        `fuzzService: ${operation.method} ${operation.path}: ${reason}\n` +
          `seed ${seed} (replay with { seed: ${seed} } or FUZZ_SEED=${seed})\n` +
          `request:\n  ${request ? describeRequest(request) : 'unknown'}`,
      );
    }
  } finally {
    await client.close();
  }
  await assertHealthy(baseUrl);
}
