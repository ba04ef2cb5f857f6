import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Raised when the environment does not satisfy a service's schema; its message lists every problem. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

function describeIssue(issue: z.core.$ZodIssue, env: Env): string {
  const name = issue.path.map(String).join('.');
  if (env[name] === undefined && issue.code === 'invalid_type') return `${name}: required but not set`;
  return `${name}: ${issue.message}`;
}

/**
 * Parses the environment with a zod object schema whose keys are variable names.
 * Empty strings count as unset so `.env` files can list a variable without a value.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Env = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  throw new ConfigError(result.error.issues.map((issue) => describeIssue(issue, cleaned)));
}

/**
 * Runs a process entry's config loader; a ConfigError ends the process with its readable message and
 * exit code 78 (EX_CONFIG), without a stack trace, since it is the user's mistake.
 */
export function loadConfigOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

// Building blocks for service schemas.

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const boolFlag = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => ['1', 'true', 'yes', 'on'].includes(value));

export const url = () => z.url({ protocol: /^https?$|^rediss?$/, error: 'must be an absolute http(s) or redis URL' });

/** A comma-separated list; blanks are dropped. */
export const csvList = (fallback = '') =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0),
    );

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** The variables every service shares (DESIGN.md section 4). */
export const sharedEnv = {
  REDIS_URL: url().default('redis://127.0.0.1:6379/0'),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  API_GATEWAY_URL: url().optional(),
};

/** Data-bank access for services that store files. */
export const dataBankEnv = {
  DATA_BANK_URL: url().optional(),
  DATA_BANK_API_KEY: z.string().default(''),
};

/**
 * Gateway prefixes, local ports and the variable that overrides each service's URL in a client's config
 * (the gateway strips the prefix). The one table the console, the bot and the services share.
 */
export const SERVICES = {
  'turkic-api': { port: 8000, prefix: 'turkic', urlVariable: 'TURKIC_API_URL' },
  'data-bank-api': { port: 8001, prefix: 'data-bank', urlVariable: 'DATA_BANK_URL' },
  'qr-api': { port: 8002, prefix: 'qr', urlVariable: 'QR_API_URL' },
  'transcript-api': { port: 8003, prefix: 'transcript', urlVariable: 'TRANSCRIPT_API_URL' },
  'handwriting-ai': { port: 8004, prefix: 'handwriting', urlVariable: 'HANDWRITING_AI_URL' },
  'model-trainer': { port: 8005, prefix: 'trainer', urlVariable: 'MODEL_TRAINER_URL' },
  'music-wrapped-api': { port: 8006, prefix: 'music', urlVariable: 'MUSIC_WRAPPED_API_URL' },
} as const;

export type ServiceName = keyof typeof SERVICES;

/**
 * The base URL of another service: an explicit URL wins, else `{API_GATEWAY_URL}/{prefix}`,
 * else the service's local port on 127.0.0.1.
 */
export function serviceUrl(name: ServiceName, options: { explicit?: string; gateway?: string }): string {
  const trim = (value: string) => value.replace(/\/+$/, '');
  if (options.explicit) return trim(options.explicit);
  const service = SERVICES[name];
  if (options.gateway) return `${trim(options.gateway)}/${service.prefix}`;
  return `http://127.0.0.1:${service.port}`;
}
