import type { PlatformApp } from '@platform/core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Detector } from '../src/services/detector.js';
import { testApp } from './helpers.js';

let app: PlatformApp;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => {
  await app.close();
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

describe('POST /v1/transliterate', () => {
  it('converts to IPA and names the standard', async () => {
    const response = await post('/v1/transliterate', { text: 'Мен кітап оқып жатырмын.', language: 'kk', target: 'ipa' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      text: 'men kɪtɑp oqəp ʒɑtərmən.',
      language: 'kk',
      target: 'ipa',
      standard: expect.stringContaining('McCollum & Chen') as string,
    });
  });

  it('converts to Latin with an explicit script', async () => {
    const response = await post('/v1/transliterate', { text: 'Ўзбекистон', language: 'uz', target: 'latin', script: 'Cyrl' });
    expect(response.json()).toMatchObject({ text: 'Oʻzbekiston', standard: expect.stringContaining('1995') as string });
  });

  it('rejects an unknown language naming the supported ones', async () => {
    const response = await post('/v1/transliterate', { text: 'x', language: 'xx', target: 'ipa' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('kk, ky, uz') as string });
  });

  it('rejects a target the language lacks, naming the ones it has', async () => {
    const turkish = await post('/v1/transliterate', { text: 'x', language: 'tr', target: 'latin' });
    expect(turkish.statusCode).toBe(400);
    expect(turkish.json<{ message: string }>().message).toContain('supported targets: ipa');
    const english = await post('/v1/transliterate', { text: 'x', language: 'en', target: 'ipa' });
    expect(english.json<{ message: string }>().message).toContain('detection only');
    const bogus = await post('/v1/transliterate', { text: 'x', language: 'kk', target: 'klingon' });
    expect(bogus.json<{ message: string }>().message).toContain('ipa, latin');
  });

  it('rejects a script the conversion does not read', async () => {
    const response = await post('/v1/transliterate', { text: 'x', language: 'kk', target: 'ipa', script: 'Arab' });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toContain('Cyrl');
  });

  it('answers 400 for empty text and 413 for text over the limit', async () => {
    const empty = await post('/v1/transliterate', { text: '  ', language: 'kk', target: 'ipa' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'INVALID_INPUT', message: 'text must not be empty' });
    const long = await post('/v1/transliterate', { text: 'а'.repeat(1001), language: 'kk', target: 'ipa' });
    expect(long.statusCode).toBe(413);
    expect(long.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 400 in the envelope for a malformed body', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/transliterate',
      payload: '{"text": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'INVALID_INPUT', request_id: expect.any(String) as string });
    const missing = await post('/v1/transliterate', { language: 'kk' });
    expect(missing.statusCode).toBe(400);
  });
});

describe('POST /v1/detect', () => {
  const sentences: [language: string, script: string, text: string][] = [
    ['kk', 'Cyrl', 'Қазақстан Республикасы — Орталық Азиядағы мемлекет, астанасы Астана қаласы.'],
    ['ky', 'Cyrl', 'Кыргызстан — Борбордук Азиядагы мамлекет, борбору Бишкек шаары.'],
    ['uz', 'Latn', 'Oʻzbekiston Respublikasi Markaziy Osiyoning markaziy qismida joylashgan davlat.'],
    ['tr', 'Latn', 'Türkiye, topraklarının büyük bölümü Anadolu yarımadasında bulunan bir ülkedir.'],
    ['az', 'Latn', 'Azərbaycan Respublikası Cənubi Qafqazda yerləşən dövlətdir, paytaxtı Bakı şəhəridir.'],
    ['ug', 'Arab', 'ئۇيغۇر تىلى تۈركىي تىللار ئائىلىسىگە مەنسۇپ بىر تىل.'],
    ['tt', 'Cyrl', 'Татарстан Республикасы — Идел буенда урнашкан республика, башкаласы Казан шәһәре.'],
    ['tk', 'Latn', 'Türkmenistan Merkezi Aziýada ýerleşýän döwlet, paýtagty Aşgabat şäheridir.'],
    ['fi', 'Latn', 'Suomi on valtio Pohjois-Euroopassa, ja sen pääkaupunki on Helsinki.'],
    ['en', 'Latn', 'The quick brown fox jumps over the lazy dog near the river bank.'],
  ];

  it.each(sentences)('identifies %s in %s', async (language, script, text) => {
    const response = await post('/v1/detect', { text, top_k: 3 });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ language: string; script: string; confidence: number; candidates: unknown[] }>();
    expect(body).toMatchObject({ language, script });
    expect(body.confidence).toBeGreaterThan(0.3);
    expect(body.candidates).toHaveLength(3);
  });

  it('rejects empty text, too long text and a bad top_k', async () => {
    expect((await post('/v1/detect', { text: '' })).statusCode).toBe(400);
    expect((await post('/v1/detect', { text: 'a'.repeat(1001) })).statusCode).toBe(413);
    expect((await post('/v1/detect', { text: 'hello', top_k: 0 })).statusCode).toBe(400);
  });
});

describe('GET /v1/languages', () => {
  it('lists every language with its scripts, targets and standards', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/languages' });
    const { languages } = response.json<{
      languages: { code: string; scripts: string[]; targets: Record<string, { standard: string }> }[];
    }>();
    expect(languages.map((language) => language.code)).toEqual(['kk', 'ky', 'uz', 'tr', 'az', 'ug', 'tt', 'tk', 'fi', 'en']);
    const uz = languages.find((language) => language.code === 'uz');
    expect(uz?.scripts.sort()).toEqual(['Cyrl', 'Latn']);
    expect(Object.keys(uz?.targets ?? {})).toEqual(['ipa', 'latin']);
    expect(languages.find((language) => language.code === 'en')?.targets).toEqual({});
  });
});

describe('liveness and readiness', () => {
  it('is alive', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('is ready once the language-identification model loads', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { lid_model: 'ok' } });
  });

  it('answers 503 naming the model when it cannot be loaded', async () => {
    const broken = await testApp({ detector: new Detector(join(tmpdir(), 'no-such-lid-model.bin')) });
    try {
      const response = await broken.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({ status: 'degraded', checks: { lid_model: expect.stringMatching(/^failed: /) as string } });
    } finally {
      await broken.close();
    }
  });
});

describe('API keys', () => {
  it('requires a valid X-API-Key on /v1 routes when keys are configured', async () => {
    const secured = await testApp({ apiKeys: ['secret-key'] });
    try {
      expect((await secured.inject({ method: 'GET', url: '/v1/languages' })).statusCode).toBe(401);
      const wrong = await secured.inject({ method: 'GET', url: '/v1/languages', headers: { 'x-api-key': 'secret-kex' } });
      expect(wrong.json()).toMatchObject({ code: 'UNAUTHORIZED' });
      expect((await secured.inject({ method: 'GET', url: '/v1/languages', headers: { 'x-api-key': 'secret-key' } })).statusCode).toBe(200);
      expect((await secured.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await secured.close();
    }
  });
});
