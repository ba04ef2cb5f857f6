import { errorMessage, HttpClient, HttpError, HttpNetworkError, HttpTimeoutError, type ServiceName } from '@platform/core';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import { CATALOG } from '../models/catalog.js';

const COUNTED = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;
export type QueueCounts = Record<(typeof COUNTED)[number], number>;

export interface ServiceStatus {
  name: ServiceName;
  url: string;
  state: 'ready' | 'degraded' | 'down';
  reason: string | null;
  checks: Record<string, string>;
  version: string | null;
  queue: { name: string; counts: QueueCounts | null } | null;
}

const Readiness = z.object({ status: z.string(), reason: z.string().optional(), checks: z.record(z.string(), z.string()).default({}) });
const OpenApiInfo = z.object({ info: z.object({ version: z.string() }) });

const PROBE_MS = 2_500;
const VERSION_TTL_MS = 60_000;

function downReason(error: unknown): string {
  if (error instanceof HttpError) return `/readyz answered ${String(error.status)}`;
  if (error instanceof HttpTimeoutError) return `/readyz did not answer within ${String(PROBE_MS / 1000)} s`;
  if (error instanceof HttpNetworkError) return 'not reachable: is it running?';
  return `unreadable /readyz: ${errorMessage(error)}`;
}

/** Reads every service's /readyz and version, and its queue's counts from BullMQ, all at once. */
export class Overview {
  private readonly versions = new Map<ServiceName, { version: string; at: number }>();
  private readonly clients: Map<ServiceName, HttpClient>;

  constructor(
    private readonly upstreams: Record<ServiceName, string>,
    private readonly queues: ReadonlyMap<string, Queue>,
  ) {
    this.clients = new Map(
      CATALOG.map((entry) => [entry.name, new HttpClient({ baseUrl: upstreams[entry.name], timeoutMs: PROBE_MS, retry: { retries: 0 } })]),
    );
  }

  async read(): Promise<ServiceStatus[]> {
    return Promise.all(CATALOG.map((entry) => this.status(entry.name, entry.domain)));
  }

  private async status(name: ServiceName, domain: string | undefined): Promise<ServiceStatus> {
    const [readiness, version, counts] = await Promise.all([this.readiness(name), this.version(name), this.counts(domain)]);
    return {
      name,
      url: this.upstreams[name],
      ...readiness,
      version,
      queue: domain === undefined ? null : { name: domain, counts },
    };
  }

  private async readiness(name: ServiceName): Promise<Pick<ServiceStatus, 'state' | 'reason' | 'checks'>> {
    try {
      const response = await this.client(name).request('/readyz', { acceptStatus: [503] });
      const body = Readiness.parse(await response.json());
      if (response.ok) return { state: 'ready', reason: null, checks: body.checks };
      return { state: 'degraded', reason: body.reason ?? 'not ready', checks: body.checks };
    } catch (error) {
      return { state: 'down', reason: downReason(error), checks: {} };
    }
  }

  /** The version (from its OpenAPI document) changes only with a restart: asked once a minute at most. */
  private async version(name: ServiceName): Promise<string | null> {
    const known = this.versions.get(name);
    if (known !== undefined && Date.now() - known.at < VERSION_TTL_MS) return known.version;
    try {
      const { info } = await this.client(name).json('/openapi.json', OpenApiInfo);
      this.versions.set(name, { version: info.version, at: Date.now() });
      return info.version;
    } catch {
      // No version to show: the card's readiness line already says why the service does not answer.
      return null;
    }
  }

  private async counts(domain: string | undefined): Promise<QueueCounts | null> {
    const queue = domain === undefined ? undefined : this.queues.get(domain);
    if (!queue) return null;
    try {
      const counts = await queue.getJobCounts(...COUNTED);
      return Object.fromEntries(COUNTED.map((state) => [state, counts[state] ?? 0])) as QueueCounts;
    } catch {
      // Redis is away: the counts show as unknown and the console's own /readyz reports Redis.
      return null;
    }
  }

  private client(name: ServiceName): HttpClient {
    const client = this.clients.get(name);
    if (!client) throw new Error(`no client for ${name}`);
    return client;
  }
}
