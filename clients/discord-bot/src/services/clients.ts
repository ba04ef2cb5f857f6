import {
  HttpClient,
  HttpError,
  HttpNetworkError,
  HttpTimeoutError,
  serviceUrl,
  SERVICES,
  type RequestOptions,
  type ServiceName,
} from '@platform/core';
import type { z } from 'zod';
import type { Config } from '../config.js';

/** A failure to show the user as it is (a service's envelope message, a timeout naming the service). */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'UserFacingError';
  }
}

/** One platform service as the bot calls it: its base URL and key, errors turned into user messages. */
export class ServiceClient {
  private readonly http: HttpClient;

  constructor(
    readonly name: ServiceName,
    baseUrl: string,
    apiKey: string,
    timeoutMs: number,
  ) {
    const headers: Record<string, string> = apiKey === '' ? {} : { 'x-api-key': apiKey };
    this.http = new HttpClient({ baseUrl, timeoutMs, headers, retry: { retries: 1 } });
  }

  get baseUrl(): string {
    return this.http.baseUrl;
  }

  async request(path: string, options: RequestOptions = {}): Promise<Response> {
    try {
      return await this.http.request(path, options);
    } catch (error) {
      throw this.userFacing(error);
    }
  }

  async json<S extends z.ZodType>(path: string, schema: S, options: RequestOptions = {}): Promise<z.output<S>> {
    const response = await this.request(path, options);
    // A body that is not JSON fails the schema just below, with the same message.
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new UserFacingError(`${this.name} gave an answer the bot does not understand.`);
    return parsed.data;
  }

  async bytes(path: string, options: RequestOptions = {}): Promise<{ data: Buffer; contentType: string }> {
    const response = await this.request(path, options);
    return {
      data: Buffer.from(await response.arrayBuffer()),
      contentType: response.headers.get('content-type') ?? 'application/octet-stream',
    };
  }

  private userFacing(error: unknown): Error {
    if (error instanceof HttpError) {
      const message = error.envelope?.message ?? `answered ${error.status}`;
      return new UserFacingError(`${this.name}: ${message}`, error.status);
    }
    if (error instanceof HttpTimeoutError) return new UserFacingError(`${this.name} did not answer in time; try again later.`);
    if (error instanceof HttpNetworkError) return new UserFacingError(`${this.name} is unreachable right now; try again later.`);
    return error instanceof Error ? error : new Error(String(error));
  }
}

export interface Services {
  turkic?: ServiceClient;
  qr?: ServiceClient;
  transcript?: ServiceClient;
  /** handwriting-ai with the `read` key, and with the `models` key for training. */
  digits?: ServiceClient;
  digitsAdmin?: ServiceClient;
  trainer?: ServiceClient;
  music?: ServiceClient;
  dataBank?: ServiceClient;
}

export type ServiceKey = keyof Services;

/** The platform service behind each key. */
export const SERVICE_OF: Record<ServiceKey, ServiceName> = {
  turkic: 'turkic-api',
  qr: 'qr-api',
  transcript: 'transcript-api',
  digits: 'handwriting-ai',
  digitsAdmin: 'handwriting-ai',
  trainer: 'model-trainer',
  music: 'music-wrapped-api',
  dataBank: 'data-bank-api',
};

/** Why a service is off (its URL variable is `off`), for the registry's reasons. */
export function offReason(name: ServiceName): string {
  return `${SERVICES[name].urlVariable}=off`;
}

/**
 * The services the bot calls: an explicit URL, else `{API_GATEWAY_URL}/{prefix}`, else the service's
 * local port (so `npm run up` needs no URLs); a URL of `off` leaves the service, and its commands, off.
 */
export function createServices(config: Config): Services {
  const make = (name: ServiceName, key: string): ServiceClient | undefined => {
    const explicit = config.serviceUrls[name];
    if (explicit === 'off') return undefined;
    const options = {
      ...(explicit === undefined ? {} : { explicit }),
      ...(config.apiGatewayUrl === undefined ? {} : { gateway: config.apiGatewayUrl }),
    };
    return new ServiceClient(name, serviceUrl(name, options), key, config.serviceTimeoutMs);
  };
  const services: Services = {};
  const set = (key: ServiceKey, client: ServiceClient | undefined) => {
    if (client) services[key] = client;
  };
  set('turkic', make('turkic-api', config.apiKeys.turkic));
  set('qr', make('qr-api', ''));
  set('transcript', make('transcript-api', config.apiKeys.transcript));
  set('digits', make('handwriting-ai', config.apiKeys.digits));
  set('digitsAdmin', make('handwriting-ai', config.apiKeys.digitsAdmin));
  set('trainer', make('model-trainer', config.apiKeys.trainer));
  set('music', make('music-wrapped-api', config.apiKeys.music));
  set('dataBank', make('data-bank-api', config.apiKeys.dataBank));
  return services;
}
