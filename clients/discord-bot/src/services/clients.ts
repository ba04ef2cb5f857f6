import {
  HttpClient,
  HttpError,
  HttpNetworkError,
  HttpTimeoutError,
  serviceUrl,
  type RequestOptions,
  type ServiceName,
} from '@platform/core';
import type { z } from 'zod';
import type { BotConfig } from '../config.js';

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
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new UserFacingError(`${this.name} gave an answer the bot does not understand.`);
    return parsed.data;
  }

  async bytes(path: string, options: RequestOptions = {}): Promise<{ data: Buffer; contentType: string }> {
    const response = await this.request(path, options);
    return { data: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? 'application/octet-stream' };
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

/** A service is on when its URL is set, or API_GATEWAY_URL is (then `{gateway}/{prefix}`). */
export function createServices(config: BotConfig): Services {
  const make = (name: ServiceName, explicit: string | undefined, key: string): ServiceClient | undefined => {
    if (explicit === undefined && config.API_GATEWAY_URL === undefined) return undefined;
    const options = config.API_GATEWAY_URL === undefined ? { explicit } : { explicit, gateway: config.API_GATEWAY_URL };
    return new ServiceClient(name, serviceUrl(name, options), key, config.DISCORD_SERVICE_TIMEOUT_MS);
  };
  const services: Services = {};
  const set = (key: ServiceKey, client: ServiceClient | undefined) => {
    if (client) services[key] = client;
  };
  set('turkic', make('turkic-api', config.TURKIC_API_URL, config.TURKIC_API_KEY));
  set('qr', make('qr-api', config.QR_API_URL, ''));
  set('transcript', make('transcript-api', config.TRANSCRIPT_API_URL, config.TRANSCRIPT_API_KEY));
  set('digits', make('handwriting-ai', config.HANDWRITING_API_URL, config.HANDWRITING_READ_KEY));
  set('digitsAdmin', make('handwriting-ai', config.HANDWRITING_API_URL, config.HANDWRITING_API_KEY));
  set('trainer', make('model-trainer', config.MODEL_TRAINER_URL, config.TRAINER_API_KEY));
  set('music', make('music-wrapped-api', config.MUSIC_API_URL, config.MUSIC_API_KEY));
  set('dataBank', make('data-bank-api', config.DATA_BANK_URL, config.DATA_BANK_API_KEY));
  return services;
}
