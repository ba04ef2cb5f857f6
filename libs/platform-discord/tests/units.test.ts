import { deleteKeys, uniqueName } from '@platform/testing';
import { createLogger, jobCompleted, jobFailed, jobProgress } from '@platform/core';
import { closeRedis, createRedis } from '@platform/workers';
import { generateKeyPairSync, sign } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyEvent,
  CommandRegistry,
  compareEntryIds,
  embedDigest,
  formatMetric,
  interactionPublicKey,
  jobEmbed,
  newJobView,
  progressBar,
  RedisRateLimiter,
  verifyInteractionSignature,
} from '../src/index.js';

const USER = '123456789012345678';
createLogger({ service: 'units', level: 'silent' });

describe('verifyInteractionSignature', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const key = interactionPublicKey(spki.subarray(-32).toString('hex'));
  const body = Buffer.from('{"type":1}');
  const signature = sign(null, Buffer.concat([Buffer.from('1700000000'), body]), privateKey).toString('hex');

  it('accepts Discord’s signature over timestamp + body', () => {
    expect(verifyInteractionSignature(key, signature, '1700000000', body)).toBe(true);
  });
  it('refuses a missing, malformed or mismatched signature', () => {
    expect(verifyInteractionSignature(key, undefined, '1700000000', body)).toBe(false);
    expect(verifyInteractionSignature(key, signature, undefined, body)).toBe(false);
    expect(verifyInteractionSignature(key, 'ab', '1700000000', body)).toBe(false);
    expect(verifyInteractionSignature(key, signature, '1700000001', body)).toBe(false);
    expect(verifyInteractionSignature(key, signature, '1700000000', Buffer.from('{"type":2}'))).toBe(false);
  });
  it('refuses a public key that is not 64 hex characters', () => {
    expect(() => interactionPublicKey('abc')).toThrow(/64 hex/);
  });
});

describe('job views and embeds', () => {
  const base = { domain: 'trainer', job_id: 'j', user_id: USER };

  it('draws the progress bar in ten cells', () => {
    expect(progressBar(0)).toBe('▱▱▱▱▱▱▱▱▱▱ 0%');
    expect(progressBar(45)).toBe('▰▰▰▰▱▱▱▱▱▱ 45%');
    expect(progressBar(100)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
    expect(progressBar(140)).toBe('▰▰▰▰▰▰▰▰▰▰ 100%');
  });

  it('never moves progress back, never reopens a finished job, never applies an entry twice', () => {
    let view = applyEvent(newJobView('trainer', 'j'), jobProgress({ ...base, progress: 60 }), '5-0');
    view = applyEvent(view, jobProgress({ ...base, progress: 40 }), '6-0');
    expect(view.progress).toBe(60);
    view = applyEvent(view, jobCompleted({ ...base, result_id: 'f'.repeat(64), result_bytes: 2048 }), '7-0');
    view = applyEvent(view, jobProgress({ ...base, progress: 70, message: 'late' }), '8-0');
    expect(view).toMatchObject({ status: 'completed', progress: 100, applied: '8-0' });
    expect(view.message).toBeUndefined();
    expect(applyEvent(view, jobFailed({ ...base, error_kind: 'system', message: 'x' }), '7-5')).toBe(view);
    expect(compareEntryIds('10-0', '9-5')).toBe(1);
  });

  it('keeps finite numbers and short strings of a payload as metrics, and formats them', () => {
    const view = applyEvent(
      newJobView('trainer', 'j'),
      jobProgress({
        ...base,
        progress: 50,
        payload: { train_loss: 1.23456, accuracy: 0.9812, tokens_per_s: 51234, nested: { a: 1 }, huge: 'x'.repeat(100) },
      }),
    );
    const embed = jobEmbed(view, 'Training gpt2 tiny');
    expect(embed.title).toBe('Training gpt2 tiny · Running');
    expect(embed.description).toBe('▰▰▰▰▰▱▱▱▱▱ 50%');
    expect(embed.fields).toEqual([
      { name: 'Train loss', value: '1.235', inline: true },
      { name: 'Accuracy', value: '98.12%', inline: true },
      { name: 'Tokens/s', value: '51,234', inline: true },
    ]);
  });

  it('puts thousands separators in large numbers and keeps 4 significant digits in small ones', () => {
    expect(formatMetric('tokens_per_s', 1902.4)).toBe('1,902');
    expect(formatMetric('tokens_per_s', 25000)).toBe('25,000');
    expect(formatMetric('step', 1_234_567)).toBe('1,234,567');
    expect(formatMetric('tokens_per_s', 512.6)).toBe('513');
    expect(formatMetric('train_loss', 3.38)).toBe('3.380');
    expect(formatMetric('val_loss', 0.0123456)).toBe('0.01235');
    expect(formatMetric('val_loss', 12.3456)).toBe('12.35');
    expect(formatMetric('accuracy', 0.9812)).toBe('98.12%');
    const done = applyEvent(
      newJobView('turkic', 'j'),
      jobCompleted({ ...base, domain: 'turkic', result_id: 'a'.repeat(64), result_bytes: 1_048_576 }),
    );
    expect(jobEmbed(done, 'Corpus').description).toContain('(1,048,576 bytes)');
  });

  it('digests what an embed shows, leaving out its timestamp', () => {
    const view = applyEvent(newJobView('trainer', 'j'), jobProgress({ ...base, progress: 40, payload: { train_loss: 3.38012 } }));
    const later = { ...view, updated_at: new Date(Date.parse(view.updated_at) + 5000).toISOString(), metrics: { train_loss: 3.38015 } };
    expect(jobEmbed(later, 'Run').timestamp).not.toBe(jobEmbed(view, 'Run').timestamp);
    expect(embedDigest(jobEmbed(later, 'Run'))).toBe(embedDigest(jobEmbed(view, 'Run'))); // both show 3.380
    expect(embedDigest(jobEmbed({ ...view, progress: 50 }, 'Run'))).not.toBe(embedDigest(jobEmbed(view, 'Run')));
    expect(embedDigest(jobEmbed(view, 'Another title'))).not.toBe(embedDigest(jobEmbed(view, 'Run')));
  });

  it('says whose fault a failure is', () => {
    const user = applyEvent(
      newJobView('turkic', 'j'),
      jobFailed({ ...base, domain: 'turkic', error_kind: 'user', message: 'The URL could not be fetched' }),
    );
    const system = applyEvent(
      newJobView('turkic', 'j'),
      jobFailed({ ...base, domain: 'turkic', error_kind: 'system', message: 'data-bank is unavailable' }),
    );
    expect(jobEmbed(user, 'Corpus').description).toBe('❌ The URL could not be fetched');
    expect(jobEmbed(system, 'Corpus').description).toBe('❌ data-bank is unavailable (a service error; try again later)');
    expect(jobEmbed(system, 'Corpus').color).toBe(0xe74c3c);
  });
});

describe('RedisRateLimiter', () => {
  const redis = createRedis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0', 'command');
  const prefix = `${uniqueName('ratelimit')}:`;
  afterAll(async () => {
    await deleteKeys(redis, `${prefix}*`);
    await closeRedis(redis);
  });

  it('counts per command and user in a shared window, and says when to retry', async () => {
    const a = new RedisRateLimiter(redis, prefix);
    const b = new RedisRateLimiter(redis, prefix); // a second bot process
    const now = 1_700_000_000_000;
    const rule = { max: 2, windowS: 60 };
    expect((await a.hit('qr', '1', rule, now)).allowed).toBe(true);
    expect((await b.hit('qr', '1', rule, now)).allowed).toBe(true);
    const third = await a.hit('qr', '1', rule, now + 1000);
    expect(third).toEqual({ allowed: false, retryAfterS: 39 }); // the window ends at 1,700,000,040,000
    expect((await a.hit('qr', '2', rule, now)).allowed).toBe(true);
    expect((await a.hit('help', '1', rule, now)).allowed).toBe(true);
    expect(await redis.pttl(`${prefix}qr:1:${Math.floor(now / 60_000)}`)).toBeGreaterThan(0);
  });
});

describe('CommandRegistry', () => {
  const command = (name: string, requires: string[] = [], admin?: boolean | string[]) => ({
    definition: { name, description: name },
    requires,
    ...(admin === undefined ? {} : { admin }),
    execute: () => Promise.resolve(),
  });

  it('leaves commands whose services are not configured off, with the reason', () => {
    const registry = new CommandRegistry([command('qr', ['qr']), command('train', ['trainer', 'dataBank']), command('help')], (s) =>
      s === 'qr' ? undefined : `${s} is off`,
    );
    expect(registry.definitions().map((d) => d.name)).toEqual(['qr', 'help']);
    expect(registry.disabled).toEqual([{ name: 'train', reason: 'trainer is off, dataBank is off' }]);
  });

  it('marks admin commands and admin subcommands, and refuses a name defined twice', () => {
    const registry = new CommandRegistry([command('files', [], true), command('digits', [], ['train'])], () => undefined);
    expect(registry.isAdminOnly('files', 'info')).toBe(true);
    expect(registry.isAdminOnly('digits', 'train')).toBe(true);
    expect(registry.isAdminOnly('digits', 'read')).toBe(false);
    expect(() => new CommandRegistry([command('a'), command('a')], () => undefined)).toThrow(/twice/);
  });
});
