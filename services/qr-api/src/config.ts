import { boolFlag, loadConfig, port, positiveInt, sharedEnv, type Env } from '@platform/core';
import { checkRedisTopology, baseConfig, type BaseConfig, redisTopologyEnv } from '@platform/workers';
import { z } from 'zod';
import { colourSchema, contrastRatio, parseColour } from './models/colour.js';
import { eccSchema } from './models/options.js';
import type { QrDefaults } from './services/render.js';

const intIn = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z
  .object({
    ...sharedEnv,
    ...redisTopologyEnv,
    PORT: port(8002),
    TRUST_PROXY: boolFlag(false),
    QR_DEFAULT_ECC: eccSchema.default('M'),
    QR_DEFAULT_SCALE: intIn(1, 40, 10),
    QR_DEFAULT_MARGIN: intIn(0, 20, 4),
    QR_DEFAULT_DARK: colourSchema.default('#000000'),
    QR_DEFAULT_LIGHT: colourSchema.default('#FFFFFF'),
    QR_MIN_CONTRAST: z.coerce.number().min(1).max(21).default(3),
    QR_MAX_DECODE_BYTES: positiveInt(10 * 1024 * 1024),
    QR_MAX_DECODE_PIXELS: positiveInt(40_000_000),
    // Unset: the CPU pool's defaults (CPUs - 1 threads, at least 1; a queue of twice that).
    QR_CPU_THREADS: z.coerce.number().int().min(1).max(256).optional(),
    QR_CPU_QUEUE: z.coerce.number().int().min(0).max(10_000).optional(),
    QR_CACHE_MAX_AGE_S: z.coerce.number().int().min(0).default(86_400),
    RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(600),
    RATE_LIMIT_WINDOW_MS: positiveInt(60_000),
    RATE_LIMIT_STORE: z.enum(['memory', 'redis']).default('memory'),
  })
  .superRefine((env, ctx) => {
    const ratio = contrastRatio(parseColour(env.QR_DEFAULT_DARK), parseColour(env.QR_DEFAULT_LIGHT));
    if (ratio < env.QR_MIN_CONTRAST) {
      ctx.addIssue({
        code: 'custom',
        path: ['QR_DEFAULT_DARK'],
        message: `contrast with QR_DEFAULT_LIGHT is ${ratio.toFixed(2)}:1, below QR_MIN_CONTRAST ${env.QR_MIN_CONTRAST}:1`,
      });
    }
  })
  .superRefine(checkRedisTopology);

export interface Config extends BaseConfig {
  trustProxy: boolean;
  /** What a request leaves out. */
  defaults: QrDefaults;
  maxDecodeBytes: number;
  maxDecodePixels: number;
  /** The CPU pool; unset: its defaults (CPUs - 1 threads, at least 1; a queue of twice that). */
  cpuThreads: number | undefined;
  cpuQueue: number | undefined;
  cacheMaxAgeS: number;
  /** `max` 0 turns rate limiting off; `store` redis shares the counters between instances. */
  rateLimit: { max: number; windowMs: number; store: 'memory' | 'redis' };
}

export function readConfig(env: Env = process.env): Config {
  const raw = loadConfig(schema, env);
  return {
    ...baseConfig(raw),
    trustProxy: raw.TRUST_PROXY,
    defaults: {
      ecc: raw.QR_DEFAULT_ECC,
      scale: raw.QR_DEFAULT_SCALE,
      margin: raw.QR_DEFAULT_MARGIN,
      dark: raw.QR_DEFAULT_DARK,
      light: raw.QR_DEFAULT_LIGHT,
      minContrast: raw.QR_MIN_CONTRAST,
    },
    maxDecodeBytes: raw.QR_MAX_DECODE_BYTES,
    maxDecodePixels: raw.QR_MAX_DECODE_PIXELS,
    cpuThreads: raw.QR_CPU_THREADS,
    cpuQueue: raw.QR_CPU_QUEUE,
    cacheMaxAgeS: raw.QR_CACHE_MAX_AGE_S,
    rateLimit: { max: raw.RATE_LIMIT_MAX, windowMs: raw.RATE_LIMIT_WINDOW_MS, store: raw.RATE_LIMIT_STORE },
  };
}
