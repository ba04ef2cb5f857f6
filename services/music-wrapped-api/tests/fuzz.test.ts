import { authSpellings, fuzzService } from '@platform/core/testing';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, lastfmEnv, spotifyEnv, startDataBank, startService, type DataBankProcess, type Harness } from './helpers.js';

let bank: DataBankProcess;
let service: Harness;
// Spotify and Last.fm are configured (their routes run) but never reached: random requests cannot
// produce a state that gets as far as a token exchange.
const NOWHERE = 'http://127.0.0.1:9';

beforeAll(async () => {
  bank = await startDataBank();
  service = await startService(bank.client, { ...spotifyEnv(NOWHERE), ...lastfmEnv(NOWHERE) });
}, 60_000);
afterAll(async () => {
  await service.close();
  await bank.stop();
});

// Apple Music is left unconfigured here: its routes answer 503 by design.
const allowStatuses = [503];

describe('music-wrapped-api under random requests', () => {
  it.each([
    ['without a key', {}],
    ['with the key and a user', { 'x-api-key': API_KEY, 'x-user-id': '42' }],
  ])(
    'never answers 500 and always the envelope, %s',
    async (_case, keys) => {
      await fuzzService(service.app, { keys, allowStatuses });
      // Whatever the uploads were, none is left in the API's scratch dir.
      expect(await readdir(join(service.tmpDir, 'api')).catch(() => [])).toEqual([]);
    },
    240_000,
  );

  it('refuses every spelling of every protected route without a valid key', async () => {
    await authSpellings(service.app);
  }, 60_000);
});
