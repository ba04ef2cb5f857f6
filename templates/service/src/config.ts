import { csvList, loadConfig, port, positiveInt, sharedEnv, type Env } from '@platform/core';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    PORT: port(8099),
    /** Keys accepted in X-API-Key; empty leaves the API open (local development, logged at start). */
    EXAMPLE_API_KEYS: csvList(),
    EXAMPLE_MAX_TEXT_CHARS: positiveInt(100_000),
  })
  .superRefine(checkRedisTopology);

/** The service's settings, named for what they mean (never the raw variables). */
export interface Config extends BaseConfig {
  apiKeys: string[];
  maxTextChars: number;
}

/** The only reader of the environment: every bad variable is reported at once (ConfigError). */
export function readConfig(env: Env = process.env): Config {
  const parsed = loadConfig(schema, env);
  return {
    ...baseConfig(parsed),
    apiKeys: parsed.EXAMPLE_API_KEYS,
    maxTextChars: parsed.EXAMPLE_MAX_TEXT_CHARS,
  };
}
